namespace Medic.Core.Logs;

/// <summary>
/// One string per distinct token, so templates share their words and a lookup by span allocates
/// nothing. The wildcard maps to the <see cref="Parsing.LogMasker.Wildcard"/> instance itself, so a
/// reference check finds it. Not thread-safe.
/// </summary>
internal sealed class TokenPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal) { [Parsing.LogMasker.Wildcard] = Parsing.LogMasker.Wildcard };
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TokenPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The shared string for <paramref name="token"/>.</summary>
    public string Intern(ReadOnlySpan<char> token)
    {
        if (!_lookup.TryGetValue(token, out var text))
        {
            text = token.ToString();
            _strings[text] = text;
        }

        return text;
    }

    /// <summary>The shared strings for the ranges of <paramref name="text"/>.</summary>
    public string[] Intern(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens)
    {
        var result = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            result[i] = Intern(text[tokens[i]]);
        }

        return result;
    }
}
