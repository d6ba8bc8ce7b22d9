using System.Collections.Concurrent;
using System.Globalization;
using Medic.Core.Bus;
using Medic.Core.Signals;

namespace Medic.Core.Alerts;

/// <summary>An alert from an external system (Alertmanager), as Medic keeps it while it fires.</summary>
/// <param name="Fingerprint">The sender's identity of the alert (its label set).</param>
/// <param name="Name">The alert's name (<c>alertname</c>).</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Annotations">Its annotations.</param>
/// <param name="StartsAt">When it started firing.</param>
public sealed record ExternalAlert(string Fingerprint, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, DateTimeOffset StartsAt);

/// <summary>An external alert stopped firing.</summary>
public sealed record ExternalAlertResolved(ExternalAlert Alert, DateTimeOffset EndsAt) : IMessage;

/// <summary>
/// The external alerts firing now. A firing alert becomes a signal once (Alertmanager repeats
/// notifications; repeats are not new evidence), with its entity from the labels Medic knows
/// (service, pod, namespace, node) and a score from its severity; a resolved one is announced.
/// </summary>
public sealed class ExternalAlerts(IBus bus)
{
    /// <summary>The signal source of external alerts.</summary>
    public const string Source = "alertmanager";

    private readonly ConcurrentDictionary<string, ExternalAlert> _firing = new(StringComparer.Ordinal);

    /// <summary>The alerts firing now, by start time.</summary>
    public IReadOnlyList<ExternalAlert> Firing => [.. _firing.Values.OrderBy(a => a.StartsAt)];

    /// <summary>Records an alert that fires; raises its signal the first time.</summary>
    public async Task FireAsync(ExternalAlert alert, CancellationToken cancellationToken)
    {
        if (!_firing.TryAdd(alert.Fingerprint, alert))
        {
            return;
        }

        var label = (string name) => alert.Labels.GetValueOrDefault(name);
        var (kind, name) = label("pod") is { } pod ? (EntityKinds.Pod, pod)
            : label("service") is { } service ? (EntityKinds.Service, service)
            : label("node") is { } node ? (EntityKinds.Node, node)
            : (EntityKinds.Service, label("job") ?? alert.Name);
        await bus.PublishAsync(
            new Signal
            {
                Id = Guid.CreateVersion7().ToString("n"),
                Source = Source,
                Type = alert.Name,
                Entity = new Entity(kind, name) { Service = label("service") ?? label("job"), Namespace = label("namespace"), Pod = label("pod"), Node = label("node") },
                Score = Severity(label("severity")),
                Confidence = 0.9,
                ObservedAt = alert.StartsAt,
                Summary = alert.Annotations.GetValueOrDefault("summary") ?? alert.Annotations.GetValueOrDefault("description") ?? $"{alert.Name} firing",
                Labels = alert.Labels,
            },
            cancellationToken);
    }

    /// <summary>Records that an alert stopped firing.</summary>
    public async Task ResolveAsync(ExternalAlert alert, DateTimeOffset endsAt, CancellationToken cancellationToken)
    {
        _firing.TryRemove(alert.Fingerprint, out var known);
        await bus.PublishAsync(new ExternalAlertResolved(known ?? alert, endsAt), cancellationToken);
    }

    private static double Severity(string? severity) => severity?.ToLower(CultureInfo.InvariantCulture) switch
    {
        "critical" or "page" or "error" => 0.9,
        "warning" or "warn" => 0.6,
        "info" or "none" => 0.3,
        _ => 0.6,
    };
}
