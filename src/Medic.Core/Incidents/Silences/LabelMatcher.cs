using System.Text.RegularExpressions;
using Medic.Core.Signals;

namespace Medic.Core.Incidents.Silences;

/// <summary>How a <see cref="LabelMatcher"/> compares, as in Alertmanager: <c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
public enum MatchOperator
{
    /// <summary><c>=</c>: the value equals.</summary>
    Equal,

    /// <summary><c>!=</c>: the value differs (a missing label counts as empty).</summary>
    NotEqual,

    /// <summary><c>=~</c>: the whole value matches the regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: the whole value does not match the regular expression.</summary>
    NotRegex,
}

/// <summary>One condition on a signal's label, written <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c> or <c>name!~regex</c>.</summary>
/// <param name="Name">The label: any of the signal's labels or a derived one (see <see cref="Signal.Label"/>).</param>
/// <param name="Operator">How to compare.</param>
/// <param name="Value">The value or, for the regex operators, the pattern (anchored at both ends).</param>
public sealed record LabelMatcher(string Name, MatchOperator Operator, string Value)
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(50);
    private Regex? _regex;

    /// <summary>Whether the signal satisfies this condition. A missing label is the empty string, as in Alertmanager.</summary>
    public bool Matches(Signal signal)
    {
        var actual = signal.Label(Name) ?? "";
        return Operator switch
        {
            MatchOperator.Equal => actual == Value,
            MatchOperator.NotEqual => actual != Value,
            MatchOperator.Regex => Pattern().IsMatch(actual),
            _ => !Pattern().IsMatch(actual),
        };
    }

    /// <summary>Parses <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c> or <c>name!~regex</c>; quotes around the value are optional.</summary>
    /// <exception cref="FormatException">The text is not a matcher, or its regex does not compile; the message says which and how to write one.</exception>
    public static LabelMatcher Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOfAny(['=', '!']);
        if (at <= 0)
        {
            throw new FormatException($"matcher '{text}': expected name=value, name!=value, name=~regex or name!~regex");
        }

        var name = text[..at].Trim();
        var rest = text[at..];
        var (op, length) = rest.StartsWith("=~", StringComparison.Ordinal) ? (MatchOperator.Regex, 2)
            : rest.StartsWith("!~", StringComparison.Ordinal) ? (MatchOperator.NotRegex, 2)
            : rest.StartsWith("!=", StringComparison.Ordinal) ? (MatchOperator.NotEqual, 2)
            : rest.StartsWith('=') ? (MatchOperator.Equal, 1)
            : throw new FormatException($"matcher '{text}': expected one of = != =~ !~ after the label name");
        if (!IsLabelName(name))
        {
            throw new FormatException($"matcher '{text}': '{name}' is not a label name (letters, digits and _, not starting with a digit)");
        }

        var value = rest[length..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        var matcher = new LabelMatcher(name, op, value);
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            try
            {
                matcher.Pattern();
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"matcher '{text}': the regular expression does not compile: {e.Message}", e);
            }
        }

        return matcher;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}{Operator switch { MatchOperator.Equal => "=", MatchOperator.NotEqual => "!=", MatchOperator.Regex => "=~", _ => "!~" }}\"{Value}\"";

    private Regex Pattern() => _regex ??= new Regex($"^(?:{Value})$", RegexOptions.CultureInvariant, RegexBudget);

    /// <summary>Whether <paramref name="name"/> is a label name: letters, digits and <c>_</c>, not starting with a digit.</summary>
    public static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
