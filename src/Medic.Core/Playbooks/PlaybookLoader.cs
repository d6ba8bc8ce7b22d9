using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Medic.Core.Playbooks.Conditions;
using Medic.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

/// <summary>
/// Parses and validates one playbook file. Every problem is reported, each with its line,
/// field and fix; a playbook with any error is not loaded.
/// </summary>
public static class PlaybookLoader
{
    private static readonly string[] TopLevelKeys = ["playbook_id", "description", "priority", "trigger", "actions", "notify", "safety"];
    private static readonly string[] StepKeys = ["name", "type", "params", "condition", "timeout", "idempotent"];

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="source">The file name used in errors.</param>
    /// <param name="knownActionTypes">Action types that have a provider; null accepts any.</param>
    public static (Playbook? Playbook, IReadOnlyList<PlaybookError> Errors) Parse(string yaml, string source, IReadOnlySet<string>? knownActionTypes = null)
    {
        var tree = new YamlTree(source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            tree.Error(e.Start, $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return (null, tree.Errors);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            tree.Error(stream.Documents.FirstOrDefault()?.RootNode, "", "a playbook file holds one YAML mapping (playbook_id, trigger, actions, ...)");
            return (null, tree.Errors);
        }

        tree.OnlyKeys(root, "", TopLevelKeys);
        var id = tree.Scalar(root, "playbook_id", "", required: true);
        var trigger = YamlTree.Get(root, "trigger") is { } t ? ConditionParser.Parse(t, "trigger", tree) : Missing(tree, root, "trigger");
        var steps = ParseSteps(root, tree, knownActionTypes);
        var notify = ParseNotify(root, tree);
        var safety = ParseSafety(root, tree);
        var priority = 0;
        if (tree.Scalar(root, "priority", "", required: false) is { } p && !int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out priority))
        {
            tree.Error(YamlTree.Get(root, "priority"), "priority", $"'{p}' is not a whole number; higher wins when several playbooks match");
        }

        if (tree.Errors.Count > 0 || id is null || trigger is null)
        {
            return (null, tree.Errors);
        }

        return (new Playbook
        {
            Id = id,
            Description = tree.Scalar(root, "description", "", required: false) ?? "",
            Priority = priority,
            Trigger = trigger,
            Actions = steps,
            Notify = notify,
            Safety = safety,
            Source = source,
            Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..12],
            Text = yaml,
        }, tree.Errors);
    }

    private static Condition? Missing(YamlTree tree, YamlMappingNode root, string key)
    {
        tree.Error(root, "", $"'{key}' is required");
        return null;
    }

    private static List<PlaybookStep> ParseSteps(YamlMappingNode root, YamlTree tree, IReadOnlySet<string>? knownTypes)
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

            if (type is not null && knownTypes is not null && !knownTypes.Contains(type))
            {
                tree.Error(YamlTree.Get(step, "type"), $"{path}.type", $"unknown action type '{type}'; known: {string.Join(", ", knownTypes.Order(StringComparer.Ordinal))}");
            }

            var parameters = ParseParams(step, path, tree);
            var condition = YamlTree.Get(step, "condition") is { } c ? ConditionParser.Parse(c, $"{path}.condition", tree) : null;
            var timeout = ParseTimeout(step, path, tree);
            var idempotent = tree.Scalar(step, "idempotent", path, required: false) is { } idem && ParseBool(idem, step, $"{path}.idempotent", tree);
            if (name is not null && type is not null)
            {
                steps.Add(new PlaybookStep { Name = name, Type = type, Params = parameters, Condition = condition, Timeout = timeout, Idempotent = idempotent });
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

    private static TimeSpan? ParseTimeout(YamlMappingNode step, string path, YamlTree tree)
    {
        if (tree.Scalar(step, "timeout", path, required: false) is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        tree.Error(YamlTree.Get(step, "timeout"), $"{path}.timeout", $"'{text}' is not a duration; write e.g. 30s, 5m or 1h");
        return null;
    }

    private static bool ParseBool(string text, YamlMappingNode step, string path, YamlTree tree)
    {
        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        tree.Error(YamlTree.Get(step, "idempotent"), path, $"'{text}' is not true or false");
        return false;
    }

    private static List<NotifySpec> ParseNotify(YamlMappingNode root, YamlTree tree)
    {
        var specs = new List<NotifySpec>();
        var node = YamlTree.Get(root, "notify");
        if (node is null)
        {
            return specs;
        }

        if (node is not YamlSequenceNode list)
        {
            tree.Error(node, "notify", "'notify' is a list of {channel, template}");
            return specs;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"notify[{i}]";
            if (list.Children[i] is not YamlMappingNode entry)
            {
                tree.Error(list.Children[i], path, "a notification is a mapping with channel and template");
                continue;
            }

            tree.OnlyKeys(entry, path, "channel", "template");
            var channel = tree.Scalar(entry, "channel", path, required: true);
            var template = tree.Scalar(entry, "template", path, required: true);
            if (template is not null && TemplateRenderer.Validate(template) is { } error)
            {
                tree.Error(YamlTree.Get(entry, "template"), $"{path}.template", $"template does not parse: {error}");
            }

            if (channel is not null && template is not null)
            {
                specs.Add(new NotifySpec(channel, template));
            }
        }

        return specs;
    }

    private static SafetySpec ParseSafety(YamlMappingNode root, YamlTree tree)
    {
        var node = YamlTree.Get(root, "safety");
        if (node is null)
        {
            return new SafetySpec();
        }

        if (node is not YamlMappingNode map)
        {
            tree.Error(node, "safety", "'safety' is a mapping (automation_level, approvers)");
            return new SafetySpec();
        }

        tree.OnlyKeys(map, "safety", "automation_level", "approvers");
        AutomationLevel? level = null;
        if (tree.Scalar(map, "automation_level", "safety", required: false) is { } text)
        {
            if (Enum.TryParse<AutomationLevel>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && text.StartsWith('L'))
            {
                level = parsed;
            }
            else
            {
                tree.Error(YamlTree.Get(map, "automation_level"), "safety.automation_level", $"'{text}' is not an automation level; use L1 (approve first), L2 (act in allowed windows) or L3 (act)");
            }
        }

        var approvers = YamlTree.Get(map, "approvers") switch
        {
            null => [],
            YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").Where(s => s.Length > 0).ToList(),
            var other => Invalid(tree, other),
        };
        return new SafetySpec { AutomationLevel = level, Approvers = approvers };
    }

    private static List<string> Invalid(YamlTree tree, YamlNode node)
    {
        tree.Error(node, "safety.approvers", "'approvers' is a list of names");
        return [];
    }
}
