namespace Medic.Core.Policy;

/// <summary>How risky each action is, and how much risk each automation level may take.</summary>
public sealed record RiskPolicy
{
    /// <summary>
    /// Risk per action, keyed <c>type</c> or <c>type:verb</c> (the more specific wins).
    /// Default: reads low; restarts, scale and cordon medium; rollback, drain and patch high; shell critical.
    /// </summary>
    public IReadOnlyDictionary<string, Risk> Actions { get; init; } = new Dictionary<string, Risk>(StringComparer.Ordinal)
    {
        ["kubernetes_api_call:get"] = Risk.Low,
        ["kubernetes_api_call:list"] = Risk.Low,
        ["kubernetes_api_call:rollout_restart"] = Risk.Medium,
        ["kubernetes_api_call:scale"] = Risk.Medium,
        ["kubernetes_api_call:cordon"] = Risk.Medium,
        ["kubernetes_api_call:uncordon"] = Risk.Medium,
        ["kubernetes_api_call:delete_pod"] = Risk.Medium,
        ["kubernetes_api_call:rollback"] = Risk.High,
        ["kubernetes_api_call:drain"] = Risk.High,
        ["kubernetes_api_call:patch"] = Risk.High,
        ["notify"] = Risk.Low,
        ["http"] = Risk.Medium,
        ["ansible"] = Risk.High,
        ["shell"] = Risk.Critical,
    };

    /// <summary>The risk of an action not in <see cref="Actions"/>. Default high.</summary>
    public Risk Default { get; init; } = Risk.High;

    /// <summary>The most risk each level may take alone; riskier playbooks drop a level. Default L1 critical, L2 high, L3 medium.</summary>
    public IReadOnlyDictionary<AutomationLevel, Risk> MaxPerLevel { get; init; } = new Dictionary<AutomationLevel, Risk>
    {
        [AutomationLevel.L1] = Risk.Critical,
        [AutomationLevel.L2] = Risk.High,
        [AutomationLevel.L3] = Risk.Medium,
    };

    /// <summary>From this risk on, two different people must approve. Default critical.</summary>
    public Risk TwoPersonFrom { get; init; } = Risk.Critical;

    /// <summary>The risk of one step.</summary>
    public Risk Of(string type, string? verb) =>
        verb is not null && Actions.TryGetValue($"{type}:{verb}", out var specific) ? specific
        : Actions.TryGetValue(type, out var general) ? general
        : Default;
}
