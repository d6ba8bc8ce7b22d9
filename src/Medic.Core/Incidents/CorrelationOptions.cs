namespace Medic.Core.Incidents;

/// <summary>Settings of the correlation stage (<c>correlation:</c> in medic.yaml).</summary>
public sealed class CorrelationOptions
{
    /// <summary>
    /// Time proximity: a signal joins an active, related incident whose newest signal is at most
    /// this old; a repeat of a signal the incident holds within it is a duplicate. Default 15 minutes.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a new group of signals waits for related signals before it opens an incident
    /// (Alertmanager's <c>group_wait</c>): the first signals of a fault arrive over a few scrapes,
    /// and one incident for them all beats several. Default 30 seconds.
    /// </summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an incident's new signals are announced to the stages after it (Alertmanager's
    /// <c>group_interval</c>): a storm of additions becomes one update. Default 30 seconds.
    /// </summary>
    public TimeSpan GroupInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Labels whose values partition signals (Alertmanager's <c>group_by</c>): signals that differ
    /// in any of them never share an incident. Default none: topology and labels decide.
    /// </summary>
    public IReadOnlyList<string> GroupBy { get; set; } = [];

    /// <summary>Labels that relate two signals when they share a value (a host, a deployment, a trace). Default <c>instance</c>.</summary>
    public IReadOnlyList<string> MatchLabels { get; set; } = ["instance"];

    /// <summary>
    /// Inhibition reach: a signal on a service that calls an incident's service through at most
    /// this many calls is a symptom of it and joins it. Default 4.
    /// </summary>
    public int SymptomDepth { get; set; } = 4;

    /// <summary>
    /// After an incident closes, for this long a series of it that swings back the other way
    /// (a cache's hit ratio recovering, traffic coming back) still belongs to it and opens nothing
    /// new; anything else, a series going wrong again included, opens a new incident. Default 10 minutes.
    /// </summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromMinutes(10);
}
