using Medic.Core.Policy;

namespace Medic.Core.Playbooks;

/// <summary>A playbook's safety settings.</summary>
public sealed record SafetySpec
{
    /// <summary>The automation level the playbook asks for; null takes the policy default (L1).</summary>
    public AutomationLevel? AutomationLevel { get; init; }

    /// <summary>Who may approve at L1; empty means any operator.</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];
}
