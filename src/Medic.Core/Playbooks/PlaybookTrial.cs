using Medic.Core.Json;
using Medic.Core.Playbooks.Conditions;
using Medic.Core.Policy;

namespace Medic.Core.Playbooks;

/// <summary>
/// What a playbook would do for an event, without doing it: whether it matches and why, its
/// steps rendered (gated ones marked, values only a run can know shown as pending), and the
/// policy verdict. Behind <c>medic playbook test</c>.
/// </summary>
public static class PlaybookTrial
{
    /// <summary>The trial's findings.</summary>
    /// <param name="Matched">Whether the trigger (and the playbook's condition) held.</param>
    /// <param name="Reasons">Why, one line per comparison.</param>
    /// <param name="Steps">The steps as they would run.</param>
    /// <param name="Verdict">What policy would allow if it ran now.</param>
    public sealed record Outcome(bool Matched, IReadOnlyList<string> Reasons, IReadOnlyList<StepPreview> Steps, PolicyVerdict Verdict);

    /// <summary>Tries <paramref name="playbook"/> against <paramref name="context"/> under <paramref name="policy"/>.</summary>
    public static Outcome Run(Playbook playbook, IReadOnlyDictionary<string, object?> context, PolicyEngine policy)
    {
        var match = PlaybookMatcher.Match([playbook], [(null, context)])[0].Match;
        var steps = PlaybookPreview.Of(playbook, context);
        var entity = ContextPath.Resolve(context, "anomaly.entity.kind") as string;
        var target = new PolicyTarget(
            Text(context, "service.name") ?? Text(context, "anomaly.entity.service"),
            Text(context, "service.namespace") ?? Text(context, "anomaly.entity.namespace"),
            entity == "node" ? Text(context, "anomaly.entity.name") : null);
        var confidence = Number(context, "diagnosis.confidence") ?? Number(context, "anomaly.confidence_score") ?? 0;
        var input = new PolicyInput(playbook, target, confidence, KillSwitchState.Off, KillSwitchState.Off, new PolicyActivity())
        {
            Replicas = (int?)Number(context, "service.replicas"),
            StepParams = steps.ToDictionary(s => s.Name, s => s.Rendered, StringComparer.Ordinal),
        };
        return new Outcome(match.Matched, match.Reasons, steps, policy.Evaluate(input));
    }

    /// <summary>Reads an event file's JSON into a context.</summary>
    public static IReadOnlyDictionary<string, object?> Context(string json) =>
        PlainTree.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json)) as IReadOnlyDictionary<string, object?>
        ?? throw new FormatException("the event must be a JSON object, e.g. {\"anomaly\": {...}, \"service\": {...}}");

    private static string? Text(IReadOnlyDictionary<string, object?> context, string path) => ContextPath.Resolve(context, path) as string;

    private static double? Number(IReadOnlyDictionary<string, object?> context, string path) => ContextPath.Resolve(context, path) switch
    {
        decimal d => (double)d,
        double d => d,
        string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
