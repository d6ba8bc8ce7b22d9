namespace Medic.Core.Policy;

/// <summary>Safety settings that apply to every playbook.</summary>
public sealed class PolicyOptions
{
    /// <summary>The level of a playbook that does not name one. Default L1: ask first.</summary>
    public AutomationLevel DefaultLevel { get; set; } = AutomationLevel.L1;

    /// <summary>The highest level any playbook may reach. Default L3.</summary>
    public AutomationLevel MaxLevel { get; set; } = AutomationLevel.L3;

    /// <summary>Below this diagnosis confidence, an L2/L3 playbook waits for approval instead. Default 0.6.</summary>
    public double MinConfidenceToAct { get; set; } = 0.6;

    /// <summary>How long an approval request stays open. Default 30 minutes.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an incident with no matching playbook waits for more evidence before it is escalated. Default 10 minutes.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(10);
}
