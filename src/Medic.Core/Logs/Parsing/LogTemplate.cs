using System.Text;
using System.Text.RegularExpressions;

namespace Medic.Core.Logs.Parsing;

/// <summary>
/// A group of messages with their template: constant text, and <c>&lt;*&gt;</c> where messages
/// differ, within tokens where they differ only in part. It also counts the few values of each
/// position, to tell an enumeration (a state, a mode: its own template per value) from a variable.
/// </summary>
public sealed class LogTemplate
{
    private readonly Position[] _positions;
    private readonly int _enumerationLimit;
    private string? _text;
    private (string Text, Regex Matcher)? _matcher;

    internal LogTemplate(int id, string[] tokens, int enumerationLimit)
    {
        Id = id;
        Tokens = tokens;
        _enumerationLimit = enumerationLimit;
        _positions = new Position[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            _positions[i] = new Position(enumerationLimit);
        }
    }

    internal LogTemplate(LogTemplateState state, Func<string, string> intern, int enumerationLimit)
        : this(state.Id, [.. state.Tokens.Select(intern)], enumerationLimit)
    {
        Size = state.Size;
        LastUsed = state.LastUsed;
        Route = [.. state.Route.Select(intern)];
        for (var i = 0; i < _positions.Length && i < state.Positions.Count; i++)
        {
            _positions[i].Restore(state.Positions[i]);
        }
    }

    /// <summary>The parser's tick when a message last joined it.</summary>
    public long LastUsed { get; internal set; }

    /// <summary>The constant tokens it is filed under in the parser's tree.</summary>
    internal string[] Route { get; set; } = [];

    /// <summary>The tree leaf that holds it.</summary>
    internal List<LogTemplate>? Leaf { get; set; }

    internal LogTemplateState Export() =>
        new(Id, [.. Tokens], [.. Route], Size, LastUsed, [.. _positions.Select(p => p.Export())]);

    /// <summary>The template's number, in order of creation from 1.</summary>
    public int Id { get; }

    /// <summary>The template's tokens.</summary>
    public IReadOnlyList<string> Tokens { get; private set; }

    /// <summary>How many messages it holds.</summary>
    public long Size { get; internal set; } = 1;

    /// <summary>The template: its tokens joined with single spaces.</summary>
    public string Text => _text ??= string.Join(' ', Tokens);

    /// <summary>
    /// The template of one of its messages (its masked tokens): the template, with each
    /// enumeration position holding the message's own value.
    /// </summary>
    public string TextOf(IReadOnlyList<string> message)
    {
        StringBuilder? text = null;
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (IsEnumeration(i))
            {
                text ??= new StringBuilder(Text.Length);
                for (var j = 0; j < Tokens.Count; j++)
                {
                    text.Append(j > 0 ? " " : "").Append(IsEnumeration(j) ? message[j] : Tokens[j]);
                }

                return text.ToString();
            }
        }

        return Text;
    }

    /// <summary>
    /// The templates this one stands for, with their message counts: itself, or one per value
    /// when it has a single enumeration position. With several, the values are shown in place as
    /// <c>{A|B}</c>, since only each position's own counts are known.
    /// </summary>
    public IReadOnlyList<(string Text, long Count)> Variants()
    {
        var enumerations = Enumerable.Range(0, Tokens.Count).Where(IsEnumeration).ToList();
        if (enumerations.Count == 0)
        {
            return [(Text, Size)];
        }

        if (enumerations.Count == 1)
        {
            var at = enumerations[0];
            return _positions[at].Values()
                .Select(v => (string.Join(' ', Tokens.Select((t, i) => i == at ? v.Value : t)), v.Count))
                .ToList();
        }

        return [(string.Join(' ', Tokens.Select((t, i) => enumerations.Contains(i) ? "{" + string.Join('|', _positions[i].Values().Select(v => v.Value)) + "}" : t)), Size)];
    }

    /// <summary>
    /// The values of the variables in <paramref name="message"/> (a message of this template, as
    /// written), in order; null when the message does not fit the template.
    /// </summary>
    public IReadOnlyList<string>? Parameters(string message)
    {
        var text = Text;
        var cached = _matcher ?? default;
        if (_matcher is null || cached.Text != text)
        {
            // Constant text literally, a space as any run of whitespace, each variable as the least text that fits.
            var pattern = string.Join("(.*?)", text.Split(LogMasker.Wildcard).Select(part => Regex.Escape(part).Replace(@"\ ", @"\s+", StringComparison.Ordinal)));
            cached = (text, new Regex($@"^\s*{pattern}\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            _matcher = cached;
        }

        try
        {
            var match = cached.Matcher.Match(message);
            return match.Success ? [.. match.Groups.Cast<Group>().Skip(1).Select(g => g.Value)] : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>Whether position <paramref name="index"/> is an enumeration (see <see cref="LogParserOptions.EnumerationLimit"/>).</summary>
    public bool IsEnumeration(int index) =>
        _enumerationLimit > 0 && Tokens[index].Contains(LogMasker.Wildcard, StringComparison.Ordinal) && _positions[index].IsEnumeration;

    internal void Count(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            _positions[i].Count(text[tokens[i]]);
        }
    }

    internal void Replace(string[] tokens)
    {
        Tokens = tokens;
        _text = null;
    }

    /// <summary>The values one position took, while they are few.</summary>
    private sealed class Position
    {
        private readonly string[] _values;
        private readonly long[] _counts;
        private int _distinct;
        private bool _many;

        public Position(int limit)
        {
            _values = new string[Math.Max(limit, 1)];
            _counts = new long[Math.Max(limit, 1)];
        }

        public bool IsEnumeration
        {
            get
            {
                if (_many || _distinct < 2)
                {
                    return false;
                }

                for (var i = 0; i < _distinct; i++)
                {
                    // A value seen once is more likely a variable's than a state's; a value with a variable is one.
                    if (_counts[i] < 2 || _values[i].Contains(LogMasker.Wildcard, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public PositionState Export() => new([.. _values.Take(_distinct)], [.. _counts.Take(_distinct)], _many);

        public void Restore(PositionState state)
        {
            _distinct = Math.Min(Math.Min(state.Values.Count, state.Counts.Count), _values.Length);
            for (var i = 0; i < _distinct; i++)
            {
                _values[i] = state.Values[i];
                _counts[i] = state.Counts[i];
            }

            _many = state.Many || state.Values.Count > _values.Length;
        }

        public IEnumerable<(string Value, long Count)> Values()
        {
            for (var i = 0; i < _distinct; i++)
            {
                yield return (_values[i], _counts[i]);
            }
        }

        public void Count(ReadOnlySpan<char> value)
        {
            if (_many)
            {
                return;
            }

            for (var i = 0; i < _distinct; i++)
            {
                if (value.SequenceEqual(_values[i]))
                {
                    _counts[i]++;
                    return;
                }
            }

            if (_distinct == _values.Length)
            {
                _many = true;
                return;
            }

            _values[_distinct] = value.ToString();
            _counts[_distinct++] = 1;
        }
    }
}
