using System.Globalization;
using System.Text.RegularExpressions;

namespace Medic.Core.Playbooks.Conditions;

/// <summary>
/// A comparison operator applied to one or more (path, expected) pairs; all pairs must hold.
/// A path that does not resolve makes <c>equals</c>, <c>contains</c>, <c>in</c>, <c>matches</c>,
/// <c>greater_than</c> and <c>less_than</c> false, and their negations true.
/// </summary>
public sealed record Comparison(string Operator, IReadOnlyList<KeyValuePair<string, object?>> Pairs) : Condition
{
    /// <summary>How long a <c>matches</c> regular expression may run before the match counts as failed.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The operators, by their YAML name.</summary>
    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "equals", "not_equals", "contains", "not_contains", "greater_than", "less_than", "in", "matches", "exists",
    };

    /// <inheritdoc />
    public override int Specificity => Pairs.Count;

    /// <inheritdoc />
    public override IEnumerable<string> Paths => Pairs.Select(p => p.Key);

    /// <inheritdoc />
    public override bool Explain(IReadOnlyDictionary<string, object?> context, List<string>? reasons)
    {
        var holds = true;
        foreach (var (path, expected) in Pairs)
        {
            var actual = ContextPath.Resolve(context, path);
            var pair = Holds(actual, expected);
            holds &= pair;
            if (reasons is null && !holds)
            {
                return false;
            }

            reasons?.Add($"{(pair ? "holds" : "fails")}: {path} {Operator}{(Operator == "exists" ? "" : " " + Show(expected))} ({path} is {(actual is null ? "missing" : Show(actual))})");
        }

        return holds;
    }

    private bool Holds(object? actual, object? expected) => Operator switch
    {
        "equals" => ScalarEquals(actual, expected),
        "not_equals" => !ScalarEquals(actual, expected),
        "contains" => Contains(actual, expected),
        "not_contains" => !Contains(actual, expected),
        "greater_than" => Compare(actual, expected) > 0,
        "less_than" => Compare(actual, expected) < 0,
        "in" => expected is IEnumerable<object?> options && options.Any(o => ScalarEquals(actual, o)),
        "matches" => actual is not null && expected is string pattern
            && Regex.IsMatch(Text(actual), pattern, RegexOptions.CultureInvariant, RegexTimeout),
        "exists" => actual is not null,
        _ => false,
    };

    internal static bool ScalarEquals(object? actual, object? expected)
    {
        if (actual is null || expected is null)
        {
            return actual is null && expected is null;
        }

        if (TryNumber(actual, out var a) && TryNumber(expected, out var b))
        {
            return a == b;
        }

        return string.Equals(Text(actual), Text(expected), StringComparison.Ordinal);
    }

    private static bool Contains(object? actual, object? expected) => actual switch
    {
        string s => expected is not null && s.Contains(Text(expected), StringComparison.Ordinal),
        IEnumerable<object?> list => list.Any(item => ScalarEquals(item, expected)),
        _ => false,
    };

    /// <summary>Sign of actual − expected, or 0 when either is not a number.</summary>
    private static int Compare(object? actual, object? expected) =>
        TryNumber(actual, out var a) && TryNumber(expected, out var b) ? a.CompareTo(b) : 0;

    private static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case decimal m: number = (double)m; return true;
            case int i: number = i; return true;
            case long l: number = l; return true;
            case string s: return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default: number = 0; return false;
        }
    }

    /// <summary>A value as the reasons show it: text quoted, lists in brackets.</summary>
    internal static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IEnumerable<object?> list => $"[{string.Join(", ", list.Select(Show))}]",
        _ => Text(value),
    };

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
