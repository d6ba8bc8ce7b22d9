using Medic.Core.Decisions;
using Medic.Core.Playbooks;
using Medic.Core.Playbooks.Conditions;
using Medic.Core.Policy;

namespace Medic.Core.Tests.Policy;

public sealed class PolicyEngineTests
{
    [Fact]
    public void A_playbook_without_a_level_asks_for_approval()
    {
        var verdict = PolicyEngine.Evaluate(Playbook(null), 0.99, killSwitchEngaged: false, new PolicyOptions());
        Assert.Equal((AutomationLevel.L1, DecisionStatus.AwaitingApproval), (verdict.Level, verdict.Status));
    }

    [Fact]
    public void An_L2_playbook_acts_alone_when_the_diagnosis_is_sure()
    {
        var verdict = PolicyEngine.Evaluate(Playbook(AutomationLevel.L2), 0.9, killSwitchEngaged: false, new PolicyOptions());
        Assert.Equal((AutomationLevel.L2, DecisionStatus.Approved), (verdict.Level, verdict.Status));
    }

    [Fact]
    public void An_L2_playbook_waits_for_approval_when_the_diagnosis_is_unsure()
    {
        var verdict = PolicyEngine.Evaluate(Playbook(AutomationLevel.L2), 0.45, killSwitchEngaged: false, new PolicyOptions());
        Assert.Equal((AutomationLevel.L1, DecisionStatus.AwaitingApproval), (verdict.Level, verdict.Status));
        Assert.Equal("playbook asks for L2, but confidence 45% is below the 60% needed to act alone: approval required", verdict.Reason);
    }

    [Fact]
    public void The_global_ceiling_caps_the_level()
    {
        var verdict = PolicyEngine.Evaluate(Playbook(AutomationLevel.L3), 0.99, killSwitchEngaged: false, new PolicyOptions { MaxLevel = AutomationLevel.L2 });
        Assert.Equal(AutomationLevel.L2, verdict.Level);
        Assert.StartsWith("playbook asks for L3, capped at L2 by policy", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kill_switch_blocks_every_level()
    {
        foreach (AutomationLevel level in Enum.GetValues<AutomationLevel>())
        {
            Assert.Equal(DecisionStatus.Blocked, PolicyEngine.Evaluate(Playbook(level), 1.0, killSwitchEngaged: true, new PolicyOptions()).Status);
        }
    }

    private static Playbook Playbook(AutomationLevel? level) => new()
    {
        Id = "p",
        Trigger = new AllOf([]),
        Actions = [new PlaybookStep { Name = "a", Type = "x" }],
        Safety = new SafetySpec { AutomationLevel = level },
    };
}
