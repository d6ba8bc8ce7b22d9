namespace Medic.Core.Decisions;

/// <summary>Where a decision stands.</summary>
public enum DecisionStatus
{
    /// <summary>L1: waiting for a person to approve or reject.</summary>
    AwaitingApproval,

    /// <summary>Approved by a person, or automatic at L2/L3: execution was requested.</summary>
    Approved,

    /// <summary>A person rejected it.</summary>
    Rejected,

    /// <summary>Nobody approved it in time.</summary>
    Expired,

    /// <summary>A safety rail (the kill switch) stopped it; recorded, nothing executed.</summary>
    Blocked,

    /// <summary>No playbook matches the diagnosis.</summary>
    NoMatch,

    /// <summary>Dry run: what would have run is recorded, nothing is executed.</summary>
    DryRun,

    /// <summary>Approved, then withdrawn by a person: its run is cancelled, or never starts.</summary>
    Withdrawn,

    /// <summary>A shadow playbook's decision beside the one in force: recorded, never executed.</summary>
    Shadow,
}
