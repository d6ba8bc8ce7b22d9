namespace Medic.Core.Policy;

/// <summary>The safety policy every decision is held to (the <c>policy</c> section of medic.yaml).</summary>
public sealed class PolicyOptions
{
    /// <summary>The environment this Medic runs in, for scoped rules. Default <c>production</c>.</summary>
    public string Environment { get; set; } = "production";

    /// <summary>The level of a playbook that does not name one. Default L1: ask first.</summary>
    public AutomationLevel DefaultLevel { get; set; } = AutomationLevel.L1;

    /// <summary>The highest level any playbook may reach. Default L3.</summary>
    public AutomationLevel MaxLevel { get; set; } = AutomationLevel.L3;

    /// <summary>Level overrides per environment, namespace, service or playbook.</summary>
    public IReadOnlyList<LevelRule> Levels { get; set; } = [];

    /// <summary>The diagnosis confidence an L2/L3 playbook needs to act alone, unless it sets its own. Default 0.6.</summary>
    public double ConfidenceThreshold { get; set; } = 0.6;

    /// <summary>Named windows playbooks can refer to.</summary>
    public IReadOnlyDictionary<string, AllowedWindow> Windows { get; set; } = new Dictionary<string, AllowedWindow>(StringComparer.Ordinal);

    /// <summary>The windows in which L2 acts when a playbook names none; empty means at any time. Default empty.</summary>
    public IReadOnlyList<string> L2Windows { get; set; } = [];

    /// <summary>Risk per action and per level.</summary>
    public RiskPolicy Risk { get; set; } = new();

    /// <summary>Concurrency and rate limits.</summary>
    public BlastRadiusLimits BlastRadius { get; set; } = new();

    /// <summary>Change freezes.</summary>
    public IReadOnlyList<ChangeFreeze> Freezes { get; set; } = [];

    /// <summary>Roles, by name, and the people in each; playbook approvers may name roles.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; set; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Record what would run and run nothing, for every playbook. Default false.</summary>
    public bool DryRun { get; set; }

    /// <summary>How long an approval request stays open. Default 30 minutes.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an incident with no matching playbook waits for more evidence before it is escalated. Default 10 minutes.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The notification channel that pages people on escalation. Default <c>log</c>.</summary>
    public string PageChannel { get; set; } = "log";
}
