using Medic.Core.Bus;

namespace Medic.Core.Changes;

/// <summary>A change to the estate: a deploy, a config change, a rollback, a scale, a restart.</summary>
public sealed record ChangeEvent : IMessage
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="ChangeKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The service changed.</summary>
    public required string Service { get; init; }

    /// <summary>When the change took effect.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who or what made it (a CI pipeline, a person, Medic itself).</summary>
    public required string Actor { get; init; }

    /// <summary>One line for people.</summary>
    public required string Description { get; init; }

    /// <summary>The Kubernetes namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The version after the change, for deploys.</summary>
    public string? Version { get; init; }

    /// <summary>The version before the change, for deploys.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>Where to read more: the pull request, the pipeline run, the ticket.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
}
