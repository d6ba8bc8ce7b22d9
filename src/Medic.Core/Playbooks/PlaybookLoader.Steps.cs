using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

public static partial class PlaybookLoader
{
    private static readonly string[] StepKeys = ["name", "type", "params", "condition", "depends_on", "retries", "timeout", "on_failure", "idempotent"];

    /// <summary>The most retries a step may ask for: beyond this, a failing action is not transient.</summary>
    private const int MaxRetries = 10;

    private static List<PlaybookStep> ParseSteps(YamlMappingNode root, YamlTree tree, IReadOnlyDictionary<string, Workflows.ParameterCheck>? knownTypes)
    {
        var steps = new List<PlaybookStep>();
        if (YamlTree.Get(root, "actions") is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            tree.Error(YamlTree.Get(root, "actions") ?? root, "actions", "'actions' is required: a non-empty list of steps");
            return steps;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"actions[{i}]";
            if (list.Children[i] is not YamlMappingNode step)
            {
                tree.Error(list.Children[i], path, "a step is a mapping with name, type and params");
                continue;
            }

            tree.OnlyKeys(step, path, StepKeys);
            var name = tree.Scalar(step, "name", path, required: true);
            var type = tree.Scalar(step, "type", path, required: true);
            if (name is not null && steps.Any(s => s.Name == name))
            {
                tree.Error(YamlTree.Get(step, "name"), $"{path}.name", $"step name '{name}' is used twice; later steps refer to steps by name");
            }

            if (type is not null && knownTypes is not null && !knownTypes.ContainsKey(type))
            {
                tree.Error(YamlTree.Get(step, "type"), $"{path}.type", $"unknown action type '{type}'; known: {string.Join(", ", knownTypes.Keys.Order(StringComparer.Ordinal))}");
            }

            var parameters = ParseParams(step, path, tree);
            if (type is not null && knownTypes?.GetValueOrDefault(type) is { } check)
            {
                CheckParams(step, path, parameters, check, tree);
            }
            var condition = YamlTree.Get(step, "condition") is { } c ? Conditions.ConditionParser.Parse(c, $"{path}.condition", tree) : null;
            var built = new PlaybookStep
            {
                Name = name ?? "",
                Type = type ?? "",
                Params = parameters,
                Condition = condition,
                DependsOn = YamlTree.Get(step, "depends_on") is null ? null : tree.Names(step, "depends_on", path),
                Retries = tree.Int(step, "retries", path, 0, MaxRetries) ?? 0,
                Timeout = ParseDuration(step, "timeout", path, tree),
                OnFailure = tree.Names(step, "on_failure", path),
                Idempotent = tree.Bool(step, "idempotent", path) ?? false,
            };
            if (name is not null && type is not null)
            {
                steps.Add(built);
            }
        }

        return steps;
    }

    private static Dictionary<string, object?> ParseParams(YamlMappingNode step, string path, YamlTree tree)
    {
        var node = YamlTree.Get(step, "params");
        if (node is null)
        {
            return [];
        }

        if (node is not YamlMappingNode map)
        {
            tree.Error(node, $"{path}.params", "'params' is a mapping of parameter names to values");
            return [];
        }

        foreach (var scalar in map.AllNodes.OfType<YamlScalarNode>())
        {
            if (scalar.Value is { } text && TemplateRenderer.IsTemplate(text) && TemplateRenderer.Validate(text) is { } error)
            {
                tree.Error(scalar, $"{path}.params", $"template does not parse: {error}");
            }
        }

        return (Dictionary<string, object?>)YamlTree.ToPlain(map)!;
    }

    /// <summary>
    /// The provider's check of the parameters' shape. A problem with a parameter whose value holds
    /// a template is left to the provider at run time, when the value is known.
    /// </summary>
    private static void CheckParams(YamlMappingNode step, string path, Dictionary<string, object?> parameters, Workflows.ParameterCheck check, YamlTree tree)
    {
        var templated = parameters.Where(p => HoldsTemplate(p.Value)).Select(p => $"params.{p.Key}:").ToList();
        foreach (var problem in check(parameters))
        {
            if (templated.Any(t => problem.StartsWith(t, StringComparison.Ordinal)))
            {
                continue;
            }

            var colon = problem.IndexOf(": ", StringComparison.Ordinal);
            var (field, message) = colon > 0 ? (problem[..colon], problem[(colon + 2)..]) : ("params", problem);
            var key = field.StartsWith("params.", StringComparison.Ordinal) ? field["params.".Length..] : null;
            var node = key is not null && YamlTree.Get(step, "params") is YamlMappingNode map && YamlTree.Get(map, key) is { } value ? value : YamlTree.Get(step, "params") ?? step;
            tree.Error(node, $"{path}.{field}", message);
        }
    }

    private static bool HoldsTemplate(object? value) => value switch
    {
        string text => TemplateRenderer.IsTemplate(text),
        IReadOnlyDictionary<string, object?> map => map.Values.Any(HoldsTemplate),
        IReadOnlyList<object?> list => list.Any(HoldsTemplate),
        _ => false,
    };

    /// <summary>Step references must name steps of this playbook, and the order must have no cycle.</summary>
    private static void CheckGraph(YamlMappingNode root, List<PlaybookStep> steps, YamlTree tree)
    {
        var names = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var fallbacks = steps.SelectMany(s => s.OnFailure).ToHashSet(StringComparer.Ordinal);
        var list = YamlTree.Get(root, "actions") as YamlSequenceNode;
        var before = tree.Errors.Count;
        for (var i = 0; i < steps.Count; i++)
        {
            var node = list?.Children.ElementAtOrDefault(i) as YamlMappingNode;
            foreach (var (key, targets) in new[] { ("depends_on", steps[i].DependsOn ?? []), ("on_failure", steps[i].OnFailure) })
            {
                foreach (var target in targets)
                {
                    if (target == steps[i].Name || !names.Contains(target))
                    {
                        tree.Error(node is null ? null : YamlTree.Get(node, key), $"actions[{i}].{key}", target == steps[i].Name
                            ? $"step '{target}' cannot refer to itself"
                            : $"no step is named '{target}'; steps: {string.Join(", ", names)}");
                    }
                    else if (key == "depends_on" && fallbacks.Contains(target))
                    {
                        tree.Error(node is null ? null : YamlTree.Get(node, key), $"actions[{i}].depends_on", $"'{target}' is a fallback (named in an on_failure) and runs only when its step fails; depend on that step instead");
                    }
                }
            }
        }

        if (tree.Errors.Count == before && StepGraph.Order(steps) is null)
        {
            tree.Error(list, "actions", "depends_on forms a cycle; each step must be able to run after the steps it depends on");
        }
    }
}
