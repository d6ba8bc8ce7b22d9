using Medic.Core.Policy;

namespace Medic.Core.Playbooks;

/// <summary>A playbook's safety settings.</summary>
public sealed record SafetySpec
{
    /// <summary>The automation level the playbook asks for; null takes the policy default (L1).</summary>
    public AutomationLevel? AutomationLevel { get; init; }

    /// <summary>The diagnosis confidence needed to act without approval; null takes the policy's gate.</summary>
    public double? ConfidenceThreshold { get; init; }

    /// <summary>The playbook's risk; null derives it from its actions (the riskiest step).</summary>
    public Risk? Risk { get; init; }

    /// <summary>The playbook's own blast-radius limits.</summary>
    public BlastRadiusSpec BlastRadius { get; init; } = new();

    /// <summary>Who may approve: people or roles (empty: any operator).</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    /// <summary>Two different people must approve. Default false (policy may require it for high risk).</summary>
    public bool TwoPersonApproval { get; init; }

    /// <summary>The named windows in which L2 may act; empty takes the policy's default windows.</summary>
    public IReadOnlyList<string> Windows { get; init; } = [];

    /// <summary>Record what would run, and run nothing. Default false.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Shadow mode, for a new playbook: it decides on live incidents beside the playbooks in force,
    /// its decisions are recorded (status <c>Shadow</c>), it never executes and is never chosen to act.
    /// </summary>
    public bool Shadow { get; init; }
}
