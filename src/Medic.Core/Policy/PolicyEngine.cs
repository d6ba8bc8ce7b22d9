using System.Globalization;
using Medic.Core.Decisions;
using Medic.Core.Playbooks;

namespace Medic.Core.Policy;

/// <summary>
/// Decides how far Medic may go with a matched playbook, and records why. The rails, in order:
/// kill switches (global and per playbook) block; the level comes from the playbook, then the
/// level rules, capped globally; a change freeze, an L2 playbook outside its windows, a diagnosis
/// below the confidence gate, a risk above what the level may take, or a blast-radius limit each
/// lower it to L1 (a person decides); L1 needs one approval, or two different people for high
/// risk; dry run records it all and runs nothing.
/// </summary>
public sealed class PolicyEngine(PolicyOptions options, TimeProvider clock)
{
    /// <summary>The policy in force.</summary>
    public PolicyOptions Options => options;

    /// <summary>Evaluates every rail for <paramref name="input"/> at the current time.</summary>
    public PolicyVerdict Evaluate(PolicyInput input)
    {
        var gates = new List<PolicyGate>();
        var playbook = input.Playbook;
        var risk = RiskOf(playbook);
        foreach (var (name, state) in new[] { ("global kill switch", input.KillSwitch), ($"kill switch of {playbook.Id}", input.PlaybookKillSwitch) })
        {
            if (state.Engaged)
            {
                gates.Add(new("kill_switch", false, $"{name} is on (set by {state.By ?? "unknown"}{(state.Reason is null ? "" : ": " + state.Reason)})"));
                return Verdict(AutomationLevel.L1, DecisionStatus.Blocked, "kill switch is on: recorded, nothing executed", gates, risk);
            }
        }

        gates.Add(new("kill_switch", true, "off"));
        var level = Level(input, gates);
        level = Lower(level, Freeze(input), "freeze", gates);
        level = Lower(level, level == AutomationLevel.L2 ? Window(playbook) : null, "window", gates);
        level = Lower(level, level > AutomationLevel.L1 ? Confidence(input) : null, "confidence", gates);
        while (level > AutomationLevel.L1 && risk > options.Risk.MaxPerLevel[level])
        {
            var lower = level - 1;
            gates.Add(new("risk", false, $"{risk.ToString().ToLowerInvariant()} risk is above the {options.Risk.MaxPerLevel[level].ToString().ToLowerInvariant()} {level} may take: {lower}"));
            level = lower;
        }

        if (!gates.Any(g => g.Rail == "risk"))
        {
            gates.Add(new("risk", true, $"{risk.ToString().ToLowerInvariant()}, within what {level} may take"));
        }

        level = Lower(level, level > AutomationLevel.L1 ? BlastRadius(input) : null, "blast_radius", gates);
        var dryRun = options.DryRun || playbook.Safety.DryRun;
        if (level == AutomationLevel.L1)
        {
            var two = playbook.Safety.TwoPersonApproval || risk >= options.Risk.TwoPersonFrom;
            var approvers = Approvers(playbook);
            gates.Add(new("approval", false, $"{(two ? "two different people" : "one person")} must approve"
                + (approvers.Count > 0 ? $" ({string.Join(", ", approvers)})" : "")
                + (input.RequestedBy is null ? "" : $", not the requester {input.RequestedBy}")));
            var verdict = Verdict(level, dryRun ? DecisionStatus.DryRun : DecisionStatus.AwaitingApproval, dryRun ? "dry run: recorded, nothing executed" : "approval required", gates, risk);
            return verdict with { ApprovalsRequired = two ? 2 : 1, Approvers = approvers };
        }

        gates.Add(new("approval", true, $"{level} acts without approval"));
        return Verdict(level, dryRun ? DecisionStatus.DryRun : DecisionStatus.Approved, dryRun ? "dry run: recorded, nothing executed" : $"{level}: acting without approval", gates, risk);
    }

    /// <summary>The playbook's risk: its own, or that of its riskiest step.</summary>
    public Risk RiskOf(Playbook playbook) =>
        playbook.Safety.Risk ?? playbook.Actions.Select(a => options.Risk.Of(a.Type, a.Params.GetValueOrDefault("verb") as string)).DefaultIfEmpty(Risk.Low).Max();

    /// <summary>The people who may approve: named people and the members of named roles.</summary>
    public IReadOnlyList<string> Approvers(Playbook playbook) =>
        playbook.Safety.Approvers.SelectMany(a => options.Roles.TryGetValue(a, out var members) ? members : [a]).Distinct(StringComparer.Ordinal).ToList();

    private AutomationLevel Level(PolicyInput input, List<PolicyGate> gates)
    {
        var asked = input.Playbook.Safety.AutomationLevel;
        var level = asked ?? options.DefaultLevel;
        var why = asked is null ? $"no level in the playbook: default {level}" : $"playbook asks for {level}";
        foreach (var rule in options.Levels.Where(r => r.Matches(options.Environment, input.Target, input.Playbook.Id)).OrderBy(r => r.Specificity))
        {
            if (rule.Level is { } set)
            {
                level = set;
                why += $"; {rule} sets {set}";
            }

            if (rule.Max is { } max && level > max)
            {
                level = max;
                why += $"; {rule} caps at {max}";
            }
        }

        if (level > options.MaxLevel)
        {
            level = options.MaxLevel;
            why += $"; capped at {options.MaxLevel} by policy";
        }

        gates.Add(new("level", true, why));
        return level;
    }

    private static AutomationLevel Lower(AutomationLevel level, (bool Passed, string Detail)? check, string rail, List<PolicyGate> gates)
    {
        if (check is not { } result)
        {
            return level;
        }

        gates.Add(new(rail, result.Passed, result.Passed ? result.Detail : $"{result.Detail}: L1"));
        return result.Passed ? level : AutomationLevel.L1;
    }

    private (bool, string)? Freeze(PolicyInput input)
    {
        var now = clock.GetUtcNow();
        var freeze = options.Freezes.FirstOrDefault(f => f.Covers(now, options.Environment, input.Target));
        return freeze is null ? (true, "no change freeze") : (false, $"change freeze until {freeze.To:yyyy-MM-dd HH:mm}Z ({freeze.Reason})");
    }

    private (bool, string) Window(Playbook playbook)
    {
        var names = playbook.Safety.Windows.Count > 0 ? playbook.Safety.Windows : options.L2Windows;
        if (names.Count == 0)
        {
            return (true, "L2 may act at any time (no windows set)");
        }

        var now = clock.GetUtcNow();
        var windows = names.Select(n => (Name: n, Window: options.Windows.GetValueOrDefault(n))).ToList();
        var open = windows.FirstOrDefault(w => w.Window?.Contains(now) == true);
        return open.Window is not null
            ? (true, $"inside window {open.Name} ({open.Window})")
            : (false, $"outside the allowed windows ({string.Join("; ", windows.Select(w => w.Window is null ? $"{w.Name}: not defined" : $"{w.Name}: {w.Window}"))})");
    }

    private (bool, string) Confidence(PolicyInput input)
    {
        var threshold = input.Playbook.Safety.ConfidenceThreshold ?? options.ConfidenceThreshold;
        return input.Confidence >= threshold
            ? (true, $"diagnosis confidence {Humanize.Percent(input.Confidence)} clears the {Humanize.Percent(threshold)} gate")
            : (false, $"diagnosis confidence {Humanize.Percent(input.Confidence)} is below the {Humanize.Percent(threshold)} gate");
    }

    private (bool, string) BlastRadius(PolicyInput input)
    {
        var limits = options.BlastRadius;
        var own = input.Playbook.Safety.BlastRadius;
        var a = input.Activity;
        var t = input.Target;
        var checks = new (bool Exceeded, string Detail)[]
        {
            (t.Service is not null && a.RunningOnService >= limits.MaxConcurrentRunsPerService, $"{a.RunningOnService} run(s) in flight on {t} (limit {limits.MaxConcurrentRunsPerService})"),
            (t.Namespace is not null && a.RunningInNamespace >= limits.MaxConcurrentRunsPerNamespace, $"{a.RunningInNamespace} run(s) in flight in namespace {t.Namespace} (limit {limits.MaxConcurrentRunsPerNamespace})"),
            (a.RunningInCluster >= limits.MaxConcurrentRunsPerCluster, $"{a.RunningInCluster} run(s) in flight in cluster {t.Cluster} (limit {limits.MaxConcurrentRunsPerCluster})"),
            (limits.OneClusterAtATime && a.OtherClustersActive.Count > 0, $"cluster(s) {string.Join(", ", a.OtherClustersActive)} have runs in flight (one cluster at a time)"),
            (a.LastHourOnTarget >= limits.MaxActionsPerHourPerTarget, $"{a.LastHourOnTarget} run(s) on {t} in the last hour (limit {limits.MaxActionsPerHourPerTarget})"),
            (a.LastHourGlobal >= limits.MaxActionsPerHourGlobal, $"{a.LastHourGlobal} run(s) in the last hour (limit {limits.MaxActionsPerHourGlobal})"),
            (own.MaxConcurrentRuns is { } ownRuns && a.PlaybookRunning >= ownRuns, $"{a.PlaybookRunning} run(s) of this playbook in flight on {t} (its limit {own.MaxConcurrentRuns})"),
            (own.MaxActionsPerHour is { } ownRate && a.PlaybookLastHour >= ownRate, $"{a.PlaybookLastHour} run(s) of this playbook on {t} in the last hour (its limit {own.MaxActionsPerHour})"),
            ReplicaShare(input),
        };
        var exceeded = checks.Where(c => c.Exceeded).Select(c => c.Detail).ToList();
        return exceeded.Count > 0
            ? (false, string.Join("; ", exceeded))
            : (true, $"{a.RunningOnService}/{limits.MaxConcurrentRunsPerService} in flight on {t}, {a.LastHourOnTarget}/{limits.MaxActionsPerHourPerTarget} this hour, {a.LastHourGlobal}/{limits.MaxActionsPerHourGlobal} in all");
    }

    /// <summary>A scale-down or pod deletion must not take more than the allowed share of the replicas at once.</summary>
    private (bool, string) ReplicaShare(PolicyInput input)
    {
        var max = Math.Min(options.BlastRadius.MaxReplicaFraction, input.Playbook.Safety.BlastRadius.MaxReplicaFraction ?? 1);
        if (input.Replicas is not { } replicas || replicas == 0)
        {
            return (false, "");
        }

        foreach (var (step, parameters) in input.StepParams)
        {
            var verb = parameters.GetValueOrDefault("verb") as string;
            var removed = verb switch
            {
                "delete_pod" => 1,
                "scale" when int.TryParse(parameters.GetValueOrDefault("replicas") as string, NumberStyles.None, CultureInfo.InvariantCulture, out var to) => Math.Max(0, replicas - to),
                _ => 0,
            };
            if ((double)removed / replicas > max)
            {
                return (true, $"step {step} takes {removed} of {replicas} replicas at once (limit {Humanize.Percent(max)})");
            }
        }

        return (false, "");
    }

    private static PolicyVerdict Verdict(AutomationLevel level, DecisionStatus status, string reason, List<PolicyGate> gates, Risk risk) =>
        new(level, status, reason) { Gates = gates, Risk = risk };
}
