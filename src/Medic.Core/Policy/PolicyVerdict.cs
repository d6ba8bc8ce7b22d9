using Medic.Core.Decisions;

namespace Medic.Core.Policy;

/// <summary>What policy allows for a matched playbook, and every reason why.</summary>
/// <param name="Level">The automation level that applies.</param>
/// <param name="Status">Act now (<see cref="DecisionStatus.Approved"/>), wait for approval, be blocked, or only record (dry run).</param>
/// <param name="Reason">The deciding reason, in one line.</param>
public sealed record PolicyVerdict(AutomationLevel Level, DecisionStatus Status, string Reason)
{
    /// <summary>Every rail, in the order they were applied.</summary>
    public IReadOnlyList<PolicyGate> Gates { get; init; } = [];

    /// <summary>The playbook's risk.</summary>
    public Risk Risk { get; init; } = Risk.Low;

    /// <summary>Approvals needed before anything runs (0 when acting alone).</summary>
    public int ApprovalsRequired { get; init; }

    /// <summary>Who may approve: people, and the members of the named roles (empty: any operator).</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    /// <summary>Whether a person must approve first.</summary>
    public bool RequiresApproval => Status == DecisionStatus.AwaitingApproval;

    /// <summary>The reasons, one line per rail.</summary>
    public IReadOnlyList<string> Reasons => Gates.Select(g => g.ToString()).ToList();
}
