using Medic.Core.Rca;
using Medic.Core.Signals;

namespace Medic.Core.Incidents;

/// <summary>Signals grouped by time and topology into one problem, with its lifecycle.</summary>
public sealed record Incident
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>Where it is in its lifecycle.</summary>
    public required IncidentState State { get; init; }

    /// <summary>One line for people, from the first signal.</summary>
    public required string Title { get; init; }

    /// <summary>When the first signal was observed.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>When anything about it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the newest signal was observed.</summary>
    public required DateTimeOffset LastSignalAt { get; init; }

    /// <summary>When it was resolved or escalated.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Services with signals in it.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Nodes with signals of their own in it (not those of pods on them).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The kinds of signal its nodes raised (<c>NetworkRetransmits</c>, say).</summary>
    public IReadOnlyList<string> NodeSymptoms { get; init; } = [];

    /// <summary>Number of signals grouped into it.</summary>
    public int SignalCount { get; init; }

    /// <summary>Repeats of a signal it already holds (same source, type, entity and metric), counted, not stored.</summary>
    public int Duplicates { get; init; }

    /// <summary>The values of the grouping labels (<c>correlation.group_by</c>) its signals share; empty when there are none.</summary>
    public string GroupKey { get; init; } = "";

    /// <summary>The <c>label=value</c> pairs of its signals for the labels that relate signals (<c>correlation.match_labels</c>).</summary>
    public IReadOnlyList<string> SharedLabels { get; init; } = [];

    /// <summary>For a merged incident, the incident that absorbed it.</summary>
    public string? MergedInto { get; init; }

    /// <summary>The highest signal score seen.</summary>
    public double MaxScore { get; init; }

    /// <summary>The current best root-cause hypothesis.</summary>
    public Hypothesis? RootCause { get; init; }

    /// <summary>True while the incident can still change state.</summary>
    public bool IsActive => State is not (IncidentState.Resolved or IncidentState.Escalated or IncidentState.Merged);

    /// <summary>Adds a signal to the incident's summary fields; <paramref name="sharedLabels"/> are its <c>label=value</c> pairs that relate signals.</summary>
    public Incident With(Signal signal, IEnumerable<string> sharedLabels, DateTimeOffset now) => this with
    {
        UpdatedAt = now,
        LastSignalAt = signal.ObservedAt > LastSignalAt ? signal.ObservedAt : LastSignalAt,
        Services = Add(Services, signal.Entity.Service),
        Nodes = Add(Nodes, signal.Entity.Kind == EntityKinds.Node ? signal.Entity.Name : null),
        NodeSymptoms = Add(NodeSymptoms, signal.Entity.Kind == EntityKinds.Node ? signal.Type : null),
        SharedLabels = sharedLabels.Aggregate(SharedLabels, Add),
        SignalCount = SignalCount + 1,
        MaxScore = Math.Max(MaxScore, signal.Score),
    };

    private static IReadOnlyList<string> Add(IReadOnlyList<string> list, string? item) =>
        item is null || list.Contains(item) ? list : [.. list, item];
}
