namespace Medic.Core.Workflows;

/// <summary>One execution of a playbook. Persisted before and after every step.</summary>
public sealed record Run
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>The decision it executes.</summary>
    public required string DecisionId { get; init; }

    /// <summary>The incident.</summary>
    public required string IncidentId { get; init; }

    /// <summary>The playbook.</summary>
    public required string PlaybookId { get; init; }

    /// <summary>Where it stands.</summary>
    public required RunState State { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Its steps, in order.</summary>
    public required IReadOnlyList<StepRecord> Steps { get; init; }

    /// <summary>Why it failed or was blocked.</summary>
    public string? Error { get; init; }

    /// <summary>The process executing it (<see cref="RunOwner"/>).</summary>
    public string? Owner { get; init; }

    /// <summary>What it acts on, for the blast-radius rails.</summary>
    public Policy.PolicyTarget? Target { get; init; }

    /// <summary>Whether it changed anything (blocked runs and dry runs do not count against limits).</summary>
    public bool Acted => State is RunState.Running or RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.Interrupted;
}
