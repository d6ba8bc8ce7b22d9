namespace Medic.Core.Detection;

/// <summary>Default detection settings, in one place.</summary>
public static class DetectionDefaults
{
    /// <summary>Samples in the rolling baseline window.</summary>
    public const int WindowSize = 60;

    /// <summary>Samples a series needs before it is judged.</summary>
    public const int MinSamples = 20;

    /// <summary>Robust z-score (deviation over 1.4826·MAD) beyond which a sample is abnormal.</summary>
    public const double Threshold = 6.0;

    /// <summary>Consecutive abnormal samples that open an anomaly (one noisy sample is not enough).</summary>
    public const int OnsetSamples = 2;

    /// <summary>Consecutive normal samples that end an anomaly.</summary>
    public const int ClearSamples = 3;

    /// <summary>Hard cap on tracked series; samples of further series are counted and ignored.</summary>
    public const int MaxSeries = 100_000;

    /// <summary>A series silent this long is forgotten.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Rules for the metric names Medic knows (OpenTelemetry/Prometheus conventions used by the
    /// simulator and documented in the README); other metrics fall back to <see cref="DefaultRule"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, MetricRule> Rules { get; } = new Dictionary<string, MetricRule>(StringComparer.Ordinal)
    {
        ["service_latency_p99_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["service_error_ratio"] = new("HighErrorRate", Direction.Up, MinValue: 0.02),
        ["service_request_rate"] = new("TrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["pod_latency_p99_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["pod_latency_p50_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["service_latency_p50_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["http_route_latency_p99_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["http_route_error_ratio"] = new("HighErrorRate", Direction.Up, MinValue: 0.02),
        ["http_route_request_rate"] = new("TrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["pod_error_ratio"] = new("HighErrorRate", Direction.Up, MinValue: 0.02),
        ["pod_request_rate"] = new("TrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["span_latency_p99_seconds"] = new("HighLatency", Direction.Up, MinRelativeChange: 0.5),
        ["span_error_ratio"] = new("HighErrorRate", Direction.Up, MinValue: 0.02),
        ["span_request_rate"] = new("TrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["service_client_latency_p99_seconds"] = new("HighClientLatency", Direction.Up, MinRelativeChange: 0.5),
        ["service_client_error_ratio"] = new("HighClientErrorRate", Direction.Up, MinValue: 0.02),
        ["container_memory_working_set_bytes"] = new("MemoryGrowth", Direction.Up, MinRelativeChange: 0.3),
        ["container_cpu_usage_cores"] = new("CpuSpike", Direction.Up, MinRelativeChange: 1.0),
        ["node_cpu_utilization"] = new("NodeCpuSaturation", Direction.Up, MinValue: 0.85),
        ["node_memory_utilization"] = new("NodeMemoryPressure", Direction.Up, MinValue: 0.9),
        ["volume_usage_ratio"] = new("VolumeFilling", Direction.Up, MinValue: 0.85),
        ["node_filesystem_usage_ratio"] = new("VolumeFilling", Direction.Up, MinValue: 0.85),
        ["db_client_connections_in_use"] = new("ConnectionsBusy", Direction.Up, MinRelativeChange: 1.0),
        ["queue_messages_ready"] = new("QueueBacklog", Direction.Up, MinRelativeChange: 1.0),
        ["container_network_receive_bytes_rate"] = new("NetworkTrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["container_network_transmit_bytes_rate"] = new("NetworkTrafficAnomaly", Direction.Both, MinRelativeChange: 0.5),
        ["node_network_bytes_rate"] = new("NetworkTrafficAnomaly", Direction.Up, MinRelativeChange: 2.0), // pods moving shift a node's traffic; a flood triples it
        ["node_tcp_retransmit_segments_rate"] = new("NetworkRetransmits", Direction.Up, MinRelativeChange: 5.0), // lost packets multiply retransmissions; more traffic only adds to them
    };

    /// <summary>The rule for metrics not in <see cref="Rules"/>.</summary>
    public static MetricRule DefaultRule { get; } = new("MetricAnomaly", Direction.Both, MinRelativeChange: 0.5);
}
