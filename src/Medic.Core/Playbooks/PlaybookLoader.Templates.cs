using Medic.Core.Decisions;
using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

public static partial class PlaybookLoader
{
    /// <summary>
    /// Catches at load what can be known before a run: a template that reads a variable the
    /// context never has, or the output of a step that does not exist or does not run before.
    /// Templates with <c>{% %}</c> tags (which may declare their own variables) are checked at run time.
    /// </summary>
    private static void CheckTemplates(YamlMappingNode root, List<PlaybookStep> steps, List<NotifySpec> notify, YamlTree tree)
    {
        var list = YamlTree.Get(root, "actions") as YamlSequenceNode;
        for (var i = 0; i < steps.Count; i++)
        {
            var before = StepGraph.RunsBefore(steps, steps[i].Name);
            var node = (list?.Children.ElementAtOrDefault(i) as YamlMappingNode) is { } step ? YamlTree.Get(step, "params") : null;
            foreach (var template in Strings(steps[i].Params))
            {
                Check(template, $"actions[{i}].params", node, before, tree);
            }
        }

        var all = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < notify.Count; i++)
        {
            Check(notify[i].Template, $"notify[{i}].template", YamlTree.Get(root, "notify"), all, tree);
        }
    }

    private static void Check(string template, string path, YamlNode? node, IReadOnlySet<string> earlierSteps, YamlTree tree)
    {
        if (!TemplateRenderer.IsTemplate(template) || template.Contains("{%", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var variable in TemplateVariables.Of(template))
        {
            var root = variable[0];
            if (!DecisionContext.Roots.Contains(root))
            {
                tree.Error(node, path, $"'{{{{ {string.Join('.', variable)} }}}}': there is no variable '{root}'; templates can read {string.Join(", ", DecisionContext.Roots)}");
            }
            else if (root == DecisionContext.Outputs && variable.Count > 1 && !earlierSteps.Contains(variable[1]))
            {
                tree.Error(node, path, $"outputs['{variable[1]}'] is not the output of a step that runs before this one; depend on it, or move it earlier");
            }
        }
    }

    private static IEnumerable<string> Strings(object? tree) => tree switch
    {
        string s => [s],
        IReadOnlyDictionary<string, object?> map => map.Values.SelectMany(Strings),
        IEnumerable<object?> list => list.SelectMany(Strings),
        _ => [],
    };
}
