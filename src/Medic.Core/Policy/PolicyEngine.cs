using Medic.Core.Decisions;
using Medic.Core.Playbooks;

namespace Medic.Core.Policy;

/// <summary>
/// Decides how far Medic may go with a matched playbook: the playbook's level, capped by the
/// global ceiling, lowered to L1 when the diagnosis is not sure enough, and blocked outright
/// while the kill switch is on.
/// </summary>
public static class PolicyEngine
{
    /// <summary>Evaluates the rails for <paramref name="playbook"/> at diagnosis confidence <paramref name="confidence"/>.</summary>
    public static PolicyVerdict Evaluate(Playbook playbook, double confidence, bool killSwitchEngaged, PolicyOptions options)
    {
        var asked = playbook.Safety.AutomationLevel ?? options.DefaultLevel;
        var level = asked > options.MaxLevel ? options.MaxLevel : asked;
        var why = level == asked ? $"playbook asks for {asked}" : $"playbook asks for {asked}, capped at {options.MaxLevel} by policy";
        if (killSwitchEngaged)
        {
            return new PolicyVerdict(level, DecisionStatus.Blocked, "kill switch is on: recorded, nothing executed");
        }

        if (level > AutomationLevel.L1 && confidence < options.MinConfidenceToAct)
        {
            return new PolicyVerdict(
                AutomationLevel.L1,
                DecisionStatus.AwaitingApproval,
                $"{why}, but confidence {Humanize.Percent(confidence)} is below the {Humanize.Percent(options.MinConfidenceToAct)} needed to act alone: approval required");
        }

        return level == AutomationLevel.L1
            ? new PolicyVerdict(level, DecisionStatus.AwaitingApproval, $"{why}: approval required")
            : new PolicyVerdict(level, DecisionStatus.Approved, $"{why}: acting without approval");
    }
}
