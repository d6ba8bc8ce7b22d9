namespace Medic.Core.Rca;

/// <summary>Settings of the diagnosis stage.</summary>
public sealed class DiagnosisOptions
{
    /// <summary>
    /// How long an incident gathers signals before its first diagnosis (like Alertmanager's
    /// group_wait): symptoms of one fault arrive over a few scrapes. Default 1 minute.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far before the incident a change counts as a suspect. Default 30 minutes.</summary>
    public TimeSpan ChangeLookback { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Softmax temperature turning scores into confidences; lower is more decisive. Default 0.1.</summary>
    public double Temperature { get; set; } = 0.1;

    /// <summary>Whether the deep tier (the PC algorithm over recent series, ranked by a random walk) runs in the background after each diagnosis. Default on.</summary>
    public bool DeepTier { get; set; } = true;

    /// <summary>
    /// Whether each tick first waits for the deep-tier rankings in flight. Live, the fast tier never
    /// waits (default off): a ranking takes a second or so and is merged at the tick after it ends.
    /// A simulation passes an hour in seconds and turns on this, so that rankings are merged at the
    /// tick after they start, as in real time, whatever the machine's speed.
    /// </summary>
    public bool AwaitDeepTier { get; set; }

    /// <summary>
    /// The metrics the deep tier learns its causal graph from: services' latency, errors and traffic,
    /// pods' CPU and memory, nodes' CPU.
    /// </summary>
    public IReadOnlyList<string> DeepMetrics { get; set; } =
    [
        "service_latency_p99_seconds", "service_error_ratio", "service_request_rate",
        "container_cpu_usage_cores", "container_memory_working_set_bytes", "node_cpu_utilization",
    ];

    /// <summary>How much history before onset the deep tier learns from. Default 30 minutes.</summary>
    public TimeSpan DeepLookback { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The deep tier's sampling step: series are averaged onto this grid. Default 15 seconds.</summary>
    public TimeSpan DeepStep { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What the deep tier's first-ranked candidate gains in the merged ranking. Default 0.15.</summary>
    public double DeepBonus { get; set; } = 0.15;
}
