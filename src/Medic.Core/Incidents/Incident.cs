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

    /// <summary>Nodes with signals in it.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Number of signals grouped into it.</summary>
    public int SignalCount { get; init; }

    /// <summary>The highest signal score seen.</summary>
    public double MaxScore { get; init; }

    /// <summary>The current best root-cause hypothesis.</summary>
    public Hypothesis? RootCause { get; init; }

    /// <summary>True while the incident can still change state.</summary>
    public bool IsActive => State is not (IncidentState.Resolved or IncidentState.Escalated);

    /// <summary>Adds a signal to the incident's summary fields.</summary>
    public Incident With(Signal signal, DateTimeOffset now) => this with
    {
        UpdatedAt = now,
        LastSignalAt = signal.ObservedAt > LastSignalAt ? signal.ObservedAt : LastSignalAt,
        Services = Add(Services, signal.Entity.Service),
        Nodes = Add(Nodes, signal.Entity.Kind == EntityKinds.Node ? signal.Entity.Name : null),
        SignalCount = SignalCount + 1,
        MaxScore = Math.Max(MaxScore, signal.Score),
    };

    private static IReadOnlyList<string> Add(IReadOnlyList<string> list, string? item) =>
        item is null || list.Contains(item) ? list : [.. list, item];
}
