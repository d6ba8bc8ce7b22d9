using System.Text.RegularExpressions;

namespace Medic.Core.Logs;

/// <summary>
/// The layout of a log line's header, written as logparser writes it: <c>&lt;Date&gt; &lt;Time&gt;
/// &lt;Level&gt; &lt;Component&gt;: &lt;Content&gt;</c>. Each <c>&lt;Name&gt;</c> is a field (matched
/// lazily), a run of spaces matches any run of whitespace, and the literal text between fields is a
/// regular expression, so <c>\[</c> is a bracket and <c>(\[&lt;PID&gt;\])?</c> an optional part.
/// The message itself is the field <c>&lt;Content&gt;</c>.
/// </summary>
public sealed partial class LogFormat
{
    /// <summary>The field that holds the message.</summary>
    public const string ContentField = "Content";

    private readonly Regex _regex;

    private LogFormat(string text, Regex regex, IReadOnlyList<string> fields)
    {
        Text = text;
        _regex = regex;
        Fields = fields;
    }

    /// <summary>The format as written.</summary>
    public string Text { get; }

    /// <summary>The field names, in order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Parses a format; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static LogFormat Parse(string format)
    {
        var parts = Placeholder().Split(format);
        var fields = new List<string>();
        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0)
            {
                pattern.Append(Spaces().Replace(parts[i], @"\s+"));
            }
            else
            {
                var name = parts[i][1..^1];
                if (fields.Contains(name, StringComparer.Ordinal))
                {
                    throw new FormatException($"log format '{format}': field <{name}> appears twice");
                }

                fields.Add(name);
                pattern.Append("(?<").Append(name).Append(">.*?)");
            }
        }

        if (!fields.Contains(ContentField, StringComparer.Ordinal))
        {
            throw new FormatException($"log format '{format}' has no <{ContentField}> field: name the part that holds the message <{ContentField}>");
        }

        try
        {
            return new LogFormat(format, new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)), fields);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"log format '{format}': the text between fields is not a valid regular expression: {e.Message}", e);
        }
    }

    /// <summary>The message of a line (trimmed), or null when the line does not have this layout.</summary>
    public string? Content(string line) => Match(line) is { } match ? match.Groups[ContentField].Value : null;

    /// <summary>Every field of a line, or null when the line does not have this layout.</summary>
    public IReadOnlyDictionary<string, string>? Split(string line) =>
        Match(line) is { } match ? Fields.ToDictionary(f => f, f => match.Groups[f].Value, StringComparer.Ordinal) : null;

    /// <summary>The match of a line, or null when it does not fit (or is too tangled to decide within a second).</summary>
    private Match? Match(string line)
    {
        try
        {
            var match = _regex.Match(line.Trim());
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    [GeneratedRegex("(<[^<>]+>)")]
    private static partial Regex Placeholder();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
