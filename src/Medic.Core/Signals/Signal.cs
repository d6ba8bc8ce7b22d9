using Medic.Core.Bus;

namespace Medic.Core.Signals;

/// <summary>Something abnormal a stage noticed: a metric anomaly, a Kubernetes event, an external alert.</summary>
public sealed record Signal : IMessage
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>Where it came from: <c>metrics</c>, <c>kubernetes</c>, <c>logs</c>, ...</summary>
    public required string Source { get; init; }

    /// <summary>What it is, in CamelCase: <c>HighErrorRate</c>, <c>PodOOMKilled</c>, ...</summary>
    public required string Type { get; init; }

    /// <summary>What it is about.</summary>
    public required Entity Entity { get; init; }

    /// <summary>How abnormal, in [0,1].</summary>
    public required double Score { get; init; }

    /// <summary>How sure the source is that this is real, in [0,1].</summary>
    public required double Confidence { get; init; }

    /// <summary>When it was observed (event time, not arrival time).</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>One line for people.</summary>
    public required string Summary { get; init; }

    /// <summary>The metric, for metric anomalies.</summary>
    public string? Metric { get; init; }

    /// <summary>The observed value, for metric anomalies.</summary>
    public double? Value { get; init; }

    /// <summary>The expected value, for metric anomalies.</summary>
    public double? Expected { get; init; }

    /// <summary>The lower edge of the expected band.</summary>
    public double? BandLow { get; init; }

    /// <summary>The upper edge of the expected band.</summary>
    public double? BandHigh { get; init; }

    /// <summary>For a metric anomaly: <c>up</c> when the value is above what was expected, <c>down</c> when below; else null.</summary>
    public string? Direction { get; init; }

    /// <summary>The model that raised a metric anomaly (e.g. <c>holt_winters</c>), or null.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The labels it came with: a series' labels, an alert's labels, an event's object. Correlation
    /// groups and silences match on these and on <see cref="Label"/>'s derived names.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty;

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>
    /// A label's value: its own labels first, then what the signal itself says:
    /// <c>alertname</c> and <c>type</c> (its type), <c>source</c>, <c>service</c>, <c>pod</c>,
    /// <c>node</c>, <c>namespace</c>, <c>entity</c> (<c>kind/name</c>). Null when it has none.
    /// </summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : name switch
    {
        "alertname" or "type" => Type,
        "source" => Source,
        "service" => Entity.Service,
        "pod" => Entity.Pod,
        "node" => Entity.Node ?? (Entity.Kind == EntityKinds.Node ? Entity.Name : null),
        "namespace" => Entity.Namespace,
        "entity" => Entity.ToString(),
        _ => null,
    };
}
