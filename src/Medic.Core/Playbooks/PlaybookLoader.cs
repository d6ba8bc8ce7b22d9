using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Medic.Core.Playbooks.Conditions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

/// <summary>
/// Parses and validates one playbook file. Every problem is reported, each with its line,
/// field and fix; a playbook with any error is not loaded. The format is documented in
/// docs/playbooks.md and described by docs/playbook.schema.json.
/// </summary>
public static partial class PlaybookLoader
{
    private static readonly string[] TopLevelKeys = ["playbook_id", "description", "priority", "trigger", "condition", "actions", "notify", "safety"];

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="source">The file name used in errors.</param>
    /// <param name="knownActionTypes">Action types that have a provider, with the check of their parameters; null accepts any.</param>
    /// <param name="revision">The repository revision the file comes from, recorded on the playbook.</param>
    public static (Playbook? Playbook, IReadOnlyList<PlaybookError> Errors) Parse(string yaml, string source, IReadOnlyDictionary<string, Workflows.ParameterCheck>? knownActionTypes = null, string revision = "")
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
        if (id is not null && !IsValidId(id))
        {
            tree.Error(YamlTree.Get(root, "playbook_id"), "playbook_id", $"'{id}' is not a valid id; use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
        }

        var trigger = YamlTree.Get(root, "trigger") is { } t ? ConditionParser.Parse(t, "trigger", tree) : Missing(tree, root, "trigger");
        var condition = YamlTree.Get(root, "condition") is { } c ? ConditionParser.Parse(c, "condition", tree) : null;
        var steps = ParseSteps(root, tree, knownActionTypes);
        var notify = ParseNotify(root, tree);
        var safety = ParseSafety(root, tree);
        var priority = tree.Int(root, "priority", "", -1_000_000, 1_000_000) ?? 0;
        CheckGraph(root, steps, tree);
        CheckTemplates(root, steps, notify, tree);

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
            Condition = condition,
            Actions = steps,
            Notify = notify,
            Safety = safety,
            Source = source,
            Revision = revision,
            Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..12],
            Text = yaml,
        }, tree.Errors);
    }

    private static bool IsValidId(string id) =>
        char.IsAsciiLetterOrDigit(id[0]) && id.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '_' or '-');

    private static Condition? Missing(YamlTree tree, YamlMappingNode root, string key)
    {
        tree.Error(root, "", $"'{key}' is required");
        return null;
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

    private static TimeSpan? ParseDuration(YamlMappingNode map, string key, string path, YamlTree tree)
    {
        if (tree.Scalar(map, key, path, required: false) is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        tree.Error(YamlTree.Get(map, key), YamlTree.Join(path, key), $"'{text}' is not a duration; write e.g. 30s, 5m or 1h");
        return null;
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
