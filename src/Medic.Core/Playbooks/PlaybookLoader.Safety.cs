using Medic.Core.Policy;
using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

public static partial class PlaybookLoader
{
    private static SafetySpec ParseSafety(YamlMappingNode root, YamlTree tree)
    {
        var node = YamlTree.Get(root, "safety");
        if (node is null)
        {
            return new SafetySpec();
        }

        if (node is not YamlMappingNode map)
        {
            tree.Error(node, "safety", "'safety' is a mapping (automation_level, confidence_threshold, risk, blast_radius, approvers, ...)");
            return new SafetySpec();
        }

        tree.OnlyKeys(map, "safety", "automation_level", "confidence_threshold", "risk", "blast_radius", "approvers", "two_person_approval", "windows", "dry_run", "shadow");
        return new SafetySpec
        {
            AutomationLevel = ParseLevel(map, tree),
            ConfidenceThreshold = tree.Number(map, "confidence_threshold", "safety", 0, 1),
            Risk = ParseRisk(map, tree),
            BlastRadius = ParseBlastRadius(map, tree),
            Approvers = tree.Names(map, "approvers", "safety"),
            TwoPersonApproval = tree.Bool(map, "two_person_approval", "safety") ?? false,
            Windows = tree.Names(map, "windows", "safety"),
            DryRun = tree.Bool(map, "dry_run", "safety") ?? false,
            Shadow = tree.Bool(map, "shadow", "safety") ?? false,
        };
    }

    private static AutomationLevel? ParseLevel(YamlMappingNode map, YamlTree tree)
    {
        if (tree.Scalar(map, "automation_level", "safety", required: false) is not { } text)
        {
            return null;
        }

        if (Levels.TryParse(text, out var level))
        {
            return level;
        }

        tree.Error(YamlTree.Get(map, "automation_level"), "safety.automation_level", $"'{text}' is not an automation level; use L1 (approve first), L2 (act in allowed windows) or L3 (act)");
        return null;
    }

    private static Risk? ParseRisk(YamlMappingNode map, YamlTree tree)
    {
        if (tree.Scalar(map, "risk", "safety", required: false) is not { } text)
        {
            return null;
        }

        if (Risks.TryParse(text, out var risk))
        {
            return risk;
        }

        tree.Error(YamlTree.Get(map, "risk"), "safety.risk", $"'{text}' is not a risk; use low, medium, high or critical");
        return null;
    }

    private static BlastRadiusSpec ParseBlastRadius(YamlMappingNode map, YamlTree tree)
    {
        switch (YamlTree.Get(map, "blast_radius"))
        {
            case null:
                return new BlastRadiusSpec();
            case YamlMappingNode limits:
                tree.OnlyKeys(limits, "safety.blast_radius", "max_concurrent_runs", "max_actions_per_hour", "max_replica_fraction");
                return new BlastRadiusSpec
                {
                    MaxConcurrentRuns = tree.Int(limits, "max_concurrent_runs", "safety.blast_radius", 1, 1000),
                    MaxActionsPerHour = tree.Int(limits, "max_actions_per_hour", "safety.blast_radius", 1, 100_000),
                    MaxReplicaFraction = tree.Number(limits, "max_replica_fraction", "safety.blast_radius", 0.01, 1),
                };
            case var other:
                tree.Error(other, "safety.blast_radius", "'blast_radius' is a mapping (max_concurrent_runs, max_actions_per_hour, max_replica_fraction)");
                return new BlastRadiusSpec();
        }
    }
}
