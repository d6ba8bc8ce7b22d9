using Medic.Core.Changes;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Rca;
using Medic.Core.Signals;

namespace Medic.Core.Decisions;

/// <summary>
/// Builds the context that playbook conditions and templates see. Its shape is documented in
/// docs/playbooks.md: <c>anomaly</c> (the signal being matched, with its <c>entity</c>),
/// <c>service</c>, <c>diagnosis</c>, <c>change</c> (the latest change to the suspect, if any),
/// <c>incident</c> and <c>environment</c>.
/// </summary>
public static class DecisionContext
{
    /// <summary>The root holding earlier steps' outputs: <c>outputs['step'].field</c>.</summary>
    public const string Outputs = "outputs";

    /// <summary>Every top-level variable conditions and templates can read.</summary>
    public static readonly IReadOnlySet<string> Roots = new HashSet<string>(StringComparer.Ordinal)
    {
        "anomaly", "service", "diagnosis", "change", "incident", "environment", "playbook_id", "run_id", Outputs,
    };

    /// <summary>Builds the context for one signal of the suspected root cause.</summary>
    public static Dictionary<string, object?> Build(Incident incident, Hypothesis top, Signal anomaly, ChangeEvent? change, ServiceInfo? service, string environment)
    {
        var context = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["environment"] = environment,
            ["anomaly"] = Anomaly(anomaly),
            ["diagnosis"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["root_cause"] = PlainTree.FromObject(top.Entity),
                ["fault_kind"] = top.FaultKind,
                ["confidence"] = top.Confidence,
                ["evidence"] = top.Evidence.Cast<object?>().ToList(),
            },
            ["incident"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = incident.Id,
                ["title"] = incident.Title,
                ["services"] = incident.Services.Cast<object?>().ToList(),
                ["nodes"] = incident.Nodes.Cast<object?>().ToList(),
                ["opened_at"] = incident.OpenedAt.ToString("O"),
            },
        };
        if (service is not null)
        {
            context["service"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = service.Name,
                ["namespace"] = service.Namespace,
                ["kind"] = service.WorkloadKind,
                ["tags"] = service.Tags.Cast<object?>().ToList(),
                ["replicas"] = service.Replicas,
            };
        }
        else if (anomaly.Entity.Service is { } name)
        {
            context["service"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["tags"] = new List<object?>() };
        }

        if (change is not null)
        {
            context["change"] = PlainTree.FromObject(change);
        }

        return context;
    }

    private static Dictionary<string, object?> Anomaly(Signal signal) => new(StringComparer.Ordinal)
    {
        ["id"] = signal.Id,
        ["source"] = signal.Source,
        ["type"] = signal.Type,
        ["summary"] = signal.Summary,
        ["score"] = signal.Score,
        ["confidence_score"] = signal.Confidence,
        ["metric"] = signal.Metric,
        ["value"] = signal.Value,
        ["expected"] = signal.Expected,
        ["observed_at"] = signal.ObservedAt.ToString("O"),
        ["entity"] = PlainTree.FromObject(signal.Entity),
    };
}
