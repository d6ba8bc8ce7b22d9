using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks.Conditions;

/// <summary>
/// Reads a condition from YAML. A condition is a mapping with one operator key:
/// <c>and</c>/<c>or</c> take a list of conditions, <c>not</c> takes one, a comparison takes
/// (path, expected) pairs as a list of single-key maps (all must hold) or as one map, and
/// <c>exists</c> takes a path or a list of paths.
/// </summary>
internal static class ConditionParser
{
    public static Condition? Parse(YamlNode node, string path, YamlTree tree)
    {
        if (node is not YamlMappingNode map || map.Children.Count != 1)
        {
            tree.Error(node, path, "a condition is a mapping with exactly one operator: and, or, not, " + string.Join(", ", Comparison.Operators));
            return null;
        }

        var (keyNode, value) = map.Children.Single();
        var op = (keyNode as YamlScalarNode)?.Value ?? "";
        var here = YamlTree.Join(path, op);
        switch (op)
        {
            case "and" or "or":
                if (value is not YamlSequenceNode list || list.Children.Count == 0)
                {
                    tree.Error(value, here, $"'{op}' takes a non-empty list of conditions");
                    return null;
                }

                var parts = list.Children.Select((c, i) => Parse(c, $"{here}[{i}]", tree)).ToList();
                return parts.Any(p => p is null) ? null
                    : op == "and" ? new AllOf(parts!) : new AnyOf(parts!);
            case "not":
                var inner = value is YamlSequenceNode { Children.Count: 1 } single ? single.Children[0] : value;
                return Parse(inner, here, tree) is { } part ? new Negation(part) : null;
            case "exists":
                return ParseExists(value, here, tree);
            default:
                if (!Comparison.Operators.Contains(op))
                {
                    tree.Error(keyNode, here, $"unknown operator '{op}'; expected one of: and, or, not, {string.Join(", ", Comparison.Operators)}");
                    return null;
                }

                return ParseComparison(op, value, here, tree);
        }
    }

    private static Comparison? ParseComparison(string op, YamlNode value, string path, YamlTree tree)
    {
        var maps = value switch
        {
            YamlMappingNode one => [one],
            YamlSequenceNode list => list.Children.OfType<YamlMappingNode>().ToList(),
            _ => [],
        };
        var count = value is YamlSequenceNode seq ? seq.Children.Count : maps.Count;
        if (maps.Count == 0 || maps.Count != count)
        {
            tree.Error(value, path, $"'{op}' takes (path: expected) pairs, e.g. '{op}: [{{anomaly.type: \"PodOOMKilled\"}}]'");
            return null;
        }

        var pairs = new List<KeyValuePair<string, object?>>();
        foreach (var (key, expected) in maps.SelectMany(m => m.Children))
        {
            var name = (key as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(name))
            {
                tree.Error(key, path, "the left side of a comparison is a dotted path such as anomaly.type");
                continue;
            }

            if (op == "in" && expected is not YamlSequenceNode)
            {
                tree.Error(expected, $"{path}.{name}", "'in' compares with a list of values, e.g. 'in: [{anomaly.type: [A, B]}]'");
                continue;
            }

            if (op is "greater_than" or "less_than" && !double.TryParse((expected as YamlScalarNode)?.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                tree.Error(expected, $"{path}.{name}", $"'{op}' compares with a number");
                continue;
            }

            pairs.Add(KeyValuePair.Create(name, YamlTree.ToPlain(expected)));
        }

        return pairs.Count == maps.Sum(m => m.Children.Count) ? new Comparison(op, pairs) : null;
    }

    private static Comparison? ParseExists(YamlNode value, string path, YamlTree tree)
    {
        var paths = value switch
        {
            YamlScalarNode scalar => [scalar.Value ?? ""],
            YamlSequenceNode list => list.Children.Select(c => (c as YamlScalarNode)?.Value ?? "").ToList(),
            _ => new List<string> { "" },
        };
        if (paths.Count == 0 || paths.Any(string.IsNullOrWhiteSpace))
        {
            tree.Error(value, path, "'exists' takes a dotted path or a list of them, e.g. 'exists: anomaly.entity.pod_name'");
            return null;
        }

        return new Comparison("exists", paths.Select(p => KeyValuePair.Create<string, object?>(p, null)).ToList());
    }
}
