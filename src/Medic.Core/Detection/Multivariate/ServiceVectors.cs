using Medic.Core.Telemetry;

namespace Medic.Core.Detection.Multivariate;

/// <summary>Which of a service's metrics are judged together, and how.</summary>
/// <param name="Metrics">Metric names; a service's point is their latest values (the first is the one whose arrival completes a point).</param>
/// <param name="Threshold">Isolation score at which a point is abnormal (about 0.5 for ordinary points; 0.65 is rare).</param>
/// <param name="MinimumDuration">Abnormal points (without a calm of <paramref name="RecoveryDuration"/> between them) before a signal opens.</param>
/// <param name="RecoveryDuration">Normal points in a row that close the signal.</param>
/// <param name="Window">Recent points the forest is grown on.</param>
/// <param name="RetrainEvery">Points between regrowths.</param>
public sealed record MultivariateOptions(IReadOnlyList<string> Metrics, double Threshold = 0.65, int MinimumDuration = 3, int RecoveryDuration = 10, int Window = 2_048, int RetrainEvery = 512);

/// <summary>An abnormal combination of a service's metrics: when it began and how abnormal the worst point was.</summary>
public readonly record struct MultivariateOnset(string Service, string? Namespace, DateTimeOffset At, double Score, IReadOnlyList<double> Point);

/// <summary>
/// Judges each service's metrics together (latency, error ratio, request rate, CPU, memory, ...):
/// the latest value of each forms a point whenever the first metric arrives, and a streaming
/// isolation forest per service, grown on its recent points, scores it. Abnormal points open one
/// signal, as runs do for single series (<see cref="MultivariateOptions"/>). Not thread-safe.
/// </summary>
internal sealed class ServiceVectors(MultivariateOptions options, int maxServices)
{
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dimension = options.Metrics.Index().ToDictionary(m => m.Item, m => m.Index, StringComparer.Ordinal);

    /// <summary>Services followed.</summary>
    public int Count => _services.Count;

    /// <summary>Takes a sample of one of the metrics; returns the onset when the point it completes opens a signal.</summary>
    public MultivariateOnset? Observe(in Sample sample)
    {
        if (!_dimension.TryGetValue(sample.Series.Name, out var dimension) || sample.Series[Labels.Service] is not { } name || !double.IsFinite(sample.Value))
        {
            return null;
        }

        if (!_services.TryGetValue(name, out var service))
        {
            if (_services.Count >= maxServices)
            {
                return null;
            }

            service = new Service(options) { Namespace = sample.Series[Labels.Namespace] };
            _services[name] = service;
        }

        service.LastSeen = sample.Timestamp;
        service.Latest[dimension] = sample.Value;
        service.Known[dimension] = true;
        if (dimension != 0 || Array.IndexOf(service.Known, false) >= 0)
        {
            return null;
        }

        var score = service.Forest.Observe(service.Latest);
        if (score < options.Threshold)
        {
            if (++service.Normal >= options.RecoveryDuration)
            {
                (service.Abnormal, service.Open) = (0, false);
            }

            return null;
        }

        service.Normal = 0;
        if (service.Abnormal++ == 0)
        {
            service.RunStart = sample.Timestamp;
        }

        if (service.Open || service.Abnormal < options.MinimumDuration)
        {
            return null;
        }

        service.Open = true;
        return new MultivariateOnset(name, service.Namespace, service.RunStart, score, [.. service.Latest]);
    }

    /// <summary>Forgets the services not seen since <paramref name="cutoff"/>; returns how many.</summary>
    public int EvictIdle(DateTimeOffset cutoff)
    {
        var idle = _services.Where(s => s.Value.LastSeen < cutoff).Select(s => s.Key).ToList();
        foreach (var name in idle)
        {
            _services.Remove(name);
        }

        return idle.Count;
    }

    private sealed class Service(MultivariateOptions options)
    {
        public StreamingIsolationForest Forest { get; } = new(options.Metrics.Count, options.Window, options.RetrainEvery);

        public double[] Latest { get; } = new double[options.Metrics.Count];

        public bool[] Known { get; } = new bool[options.Metrics.Count];

        public string? Namespace { get; init; }

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset RunStart { get; set; }

        public int Abnormal { get; set; }

        public int Normal { get; set; }

        public bool Open { get; set; }
    }
}
