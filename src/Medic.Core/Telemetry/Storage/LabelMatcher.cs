using System.Text.RegularExpressions;

namespace Medic.Core.Telemetry.Storage;

/// <summary>A condition on one label, as PromQL writes it: <c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>. The metric name is the label <c>__name__</c>.</summary>
public sealed partial class LabelMatcher
{
    /// <summary>The label that holds the metric name.</summary>
    public const string NameLabel = "__name__";

    private readonly Regex? _regex;

    private LabelMatcher(string label, string op, string value)
    {
        Label = label;
        Op = op;
        Value = value;
        if (op is "=~" or "!~")
        {
            _regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>The label name.</summary>
    public string Label { get; }

    /// <summary>The operator.</summary>
    public string Op { get; }

    /// <summary>The value or pattern.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses a selector: <c>http_requests_total{service="cart",code=~"5.."}</c>, or just the
    /// braces, or just the name. Throws <see cref="FormatException"/> saying what is wrong.
    /// </summary>
    public static IReadOnlyList<LabelMatcher> ParseSelector(string selector)
    {
        var text = selector.Trim();
        var matchers = new List<LabelMatcher>();
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        var name = brace < 0 ? text : text[..brace].Trim();
        if (name.Length > 0)
        {
            matchers.Add(new LabelMatcher(NameLabel, "=", name));
        }

        if (brace >= 0)
        {
            if (!text.EndsWith('}'))
            {
                throw new FormatException($"selector '{selector}': a '{{' needs its closing '}}'");
            }

            foreach (Match match in Pair().Matches(text[(brace + 1)..^1]))
            {
                try
                {
                    matchers.Add(new LabelMatcher(match.Groups["label"].Value, match.Groups["op"].Value, Regex.Unescape(match.Groups["value"].Value)));
                }
                catch (ArgumentException e)
                {
                    throw new FormatException($"selector '{selector}': '{match.Groups["value"].Value}' is not a valid regular expression: {e.Message}", e);
                }
            }

            var rest = Pair().Replace(text[(brace + 1)..^1], "").Replace(",", "", StringComparison.Ordinal).Trim();
            if (rest.Length > 0)
            {
                throw new FormatException($"selector '{selector}': cannot read '{rest}'; write label=\"value\", label!=\"value\", label=~\"regex\" or label!~\"regex\"");
            }
        }

        if (matchers.Count == 0)
        {
            throw new FormatException($"selector '{selector}' selects nothing: name a metric or a label");
        }

        return matchers;
    }

    /// <summary>Whether a series passes.</summary>
    public bool Matches(SeriesKey series)
    {
        var actual = Label == NameLabel ? series.Name : series[Label] ?? "";
        try
        {
            return Op switch
            {
                "=" => actual == Value,
                "!=" => actual != Value,
                "=~" => _regex!.IsMatch(actual),
                _ => !_regex!.IsMatch(actual),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>=~|!~|!=|=)\s*""(?<value>(?:[^""\\]|\\.)*)""\s*")]
    private static partial Regex Pair();
}
