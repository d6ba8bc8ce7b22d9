namespace Medic.Bench;

/// <summary>How a benchmark series moves from one sample to the next.</summary>
internal enum SeriesKind
{
    /// <summary>A counter: grows by a small whole number (requests, bytes, histogram buckets).</summary>
    Counter,

    /// <summary>A gauge of whole units that wanders a little (memory in pages, queue length).</summary>
    WholeGauge,

    /// <summary>A gauge with full float precision (a CPU ratio, a temperature): the hardest to compress.</summary>
    FloatGauge,
}

/// <summary>
/// One series of the benchmark estate: what a pod of a service exposes, with the labels a
/// Prometheus scrape gives it. The mix follows what scraped targets expose: mostly counters
/// (histogram buckets are counters), some whole-number gauges, a few float gauges.
/// </summary>
internal sealed record EstateSeries(string Metric, SeriesKind Kind, IReadOnlyList<(string Name, string Value)> Labels, double Start)
{
    private static readonly (string Metric, SeriesKind Kind, string? Extra, string? ExtraValue)[] Exposed =
    [
        ("http_requests_total", SeriesKind.Counter, "code", "200"),
        ("http_requests_total", SeriesKind.Counter, "code", "500"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "0.05"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "0.1"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "0.25"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "0.5"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "1"),
        ("http_request_duration_seconds_bucket", SeriesKind.Counter, "le", "+Inf"),
        ("http_request_duration_seconds_count", SeriesKind.Counter, null, null),
        ("process_cpu_seconds_total", SeriesKind.Counter, null, null),
        ("container_network_receive_bytes_total", SeriesKind.Counter, "interface", "eth0"),
        ("container_network_transmit_bytes_total", SeriesKind.Counter, "interface", "eth0"),
        ("go_gc_duration_seconds_count", SeriesKind.Counter, null, null),
        ("db_client_queries_total", SeriesKind.Counter, "operation", "select"),
        ("db_client_queries_total", SeriesKind.Counter, "operation", "update"),
        ("process_resident_memory_bytes", SeriesKind.WholeGauge, null, null),
        ("go_goroutines", SeriesKind.WholeGauge, null, null),
        ("queue_depth", SeriesKind.WholeGauge, "queue", "orders"),
        ("container_cpu_utilisation_ratio", SeriesKind.FloatGauge, null, null),
        ("process_open_fds_ratio", SeriesKind.FloatGauge, null, null),
    ];

    private static readonly string[] Services = ["cart", "checkout", "payments", "catalog", "search", "frontend", "shipping", "auth", "users", "orders"];

    /// <summary>The estate: <paramref name="count"/> series, the metrics above for as many pods as it takes.</summary>
    public static IReadOnlyList<EstateSeries> Create(int count)
    {
        var series = new List<EstateSeries>(count);
        for (var i = 0; i < count; i++)
        {
            var (metric, kind, extra, extraValue) = Exposed[i % Exposed.Length];
            var target = i / Exposed.Length;
            var service = Services[target % Services.Length];
            var pod = target / Services.Length;
            List<(string, string)> labels =
            [
                ("__name__", metric),
                ("instance", $"10.1.{pod / 250}.{pod % 250 + 2}:8080"),
                ("job", service),
                ("namespace", "shop"),
                ("pod", $"{service}-7d9f8b6c5-{pod:x5}"),
            ];
            if (extra is not null)
            {
                labels.Add((extra, extraValue!));
            }

            var start = kind switch
            {
                SeriesKind.Counter => 1000 + i,
                SeriesKind.WholeGauge => 4096 * (1000 + (i % 97)),
                _ => 0.25 + ((i % 50) / 100.0),
            };
            series.Add(new EstateSeries(metric, kind, labels, start));
        }

        return series;
    }

    /// <summary>The next value after <paramref name="value"/>.</summary>
    public double Next(double value, Random random) => Kind switch
    {
        SeriesKind.Counter => value + random.Next(0, 40),
        SeriesKind.WholeGauge => Math.Max(0, value + (4096 * random.Next(-3, 4))),
        _ => Math.Clamp(value + ((random.NextDouble() - 0.5) * 0.02), 0, 1),
    };
}
