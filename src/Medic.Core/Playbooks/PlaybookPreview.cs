using Medic.Core.Decisions;

namespace Medic.Core.Playbooks;

/// <summary>
/// Renders a playbook's steps against a context without running anything: conditions are
/// evaluated, templates rendered; what reads another step's output is shown as pending.
/// </summary>
public static class PlaybookPreview
{
    /// <summary>Each step, in the order it would run (fallbacks last).</summary>
    public static IReadOnlyList<StepPreview> Of(Playbook playbook, IReadOnlyDictionary<string, object?> context)
    {
        var model = new Dictionary<string, object?>(context, StringComparer.Ordinal) { ["playbook_id"] = playbook.Id };
        var fallbacks = playbook.FallbackSteps;
        var order = (StepGraph.Order(playbook.Actions) ?? []).Concat(playbook.Actions.Select(a => a.Name).Where(fallbacks.Contains));
        return order.Select(name => Preview(playbook.Step(name), fallbacks.Contains(name), model)).ToList();
    }

    /// <summary>The value shown for a template that only a run can fill.</summary>
    public static string Pending(string template) => $"(pending until the run: {template.Trim()})";

    private static StepPreview Preview(PlaybookStep step, bool fallback, IReadOnlyDictionary<string, object?> model)
    {
        string? error = null;
        object? Render(object? value) => value switch
        {
            string text when ReadsOutputs(text) => Pending(text),
            string text => TryRender(text, model, ref error),
            IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Render(p.Value), StringComparer.Ordinal),
            IReadOnlyList<object?> list => list.Select(Render).ToList(),
            _ => value,
        };

        var rendered = (IReadOnlyDictionary<string, object?>)Render(step.Params)!;
        if (step.Condition is not { } condition)
        {
            return new StepPreview(step.Name, step.Type, fallback, false, rendered) { Error = error };
        }

        if (condition.Paths.Any(p => p.StartsWith(DecisionContext.Outputs, StringComparison.Ordinal)))
        {
            return new StepPreview(step.Name, step.Type, fallback, false, rendered) { ConditionPending = true, Error = error };
        }

        var reasons = new List<string>();
        var holds = condition.Explain(model, reasons);
        return new StepPreview(step.Name, step.Type, fallback, !holds, rendered) { ConditionReasons = reasons, Error = error };
    }

    private static bool ReadsOutputs(string text) =>
        TemplateRenderer.IsTemplate(text) && TemplateVariables.Of(text).Any(v => v[0] == DecisionContext.Outputs);

    private static string TryRender(string text, IReadOnlyDictionary<string, object?> model, ref string? error)
    {
        try
        {
            return TemplateRenderer.Render(text, model);
        }
        catch (TemplateException e)
        {
            error ??= e.Message;
            return text;
        }
    }
}
