using Medic.Core.Learning.Drift;
using Medic.Core.Telemetry;

namespace Medic.Core.Detection.Multivariate;

/// <summary>Which of a service's metrics are judged together, and how.</summary>
/// <param name="Metrics">Metric names; a service's point is their latest values (the first is the one whose arrival completes a point).</param>
/// <param name="Threshold">Isolation score at which a point is abnormal (about 0.5 for ordinary points; 0.65 is rare).</param>
/// <param name="MinimumDuration">Abnormal points (without a calm of <paramref name="RecoveryDuration"/> between them) before a signal opens.</param>
/// <param name="RecoveryDuration">Normal points in a row that close the signal.</param>
/// <param name="Window">Recent points the forest is grown on.</param>
/// <param name="RetrainEvery">Points between regrowths.</param>
public sealed record MultivariateOptions(IReadOnlyList<string> Metrics, double Threshold = 0.65, int MinimumDuration = 3, int RecoveryDuration = 10, int Window = 2_048, int RetrainEvery = 512)
{
    /// <summary>When a service's forest counts as drifted and is refit early; null (the default): it is only regrown on schedule, which game days found as good (docs/benchmarks.md).</summary>
    public DriftOptions? Drift { get; init; }

    /// <summary>In shadow the forests judge and are refit as usual but raise no signal: what they would have raised is counted.</summary>
    public bool Shadow { get; init; }
}

/// <summary>An abnormal combination of a service's metrics: when it began and how abnormal the worst point was.</summary>
public readonly record struct MultivariateOnset(string Service, string? Namespace, DateTimeOffset At, double Score, IReadOnlyList<double> Point);

/// <summary>
/// Judges each service's metrics together (latency, error ratio, request rate, CPU, memory, ...):
/// the latest value of each forms a point whenever the first metric arrives, and a streaming
/// isolation forest per service, grown on its recent points, scores it. Abnormal points open one
/// signal, as runs do for single series (<see cref="MultivariateOptions"/>). Each forest's scores
/// are watched for drift (<see cref="DriftWatch"/>): a drifted forest is refit on the service's
/// latest points, the candidate and the forest in use are judged on held-back points, and the
/// candidate takes over only if it is at least as good (<see cref="ModelVersion"/>); the training job
/// refits every forest the same way (<see cref="Retrain"/>). Not thread-safe.
/// </summary>
internal sealed class ServiceVectors(MultivariateOptions options, int maxServices)
{
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dimension = options.Metrics.Index().ToDictionary(m => m.Item, m => m.Index, StringComparer.Ordinal);

    /// <summary>Abnormal points kept per service to check that a candidate still catches them.</summary>
    private const int KeptAbnormal = 64;

    /// <summary>Points since the training job's start a service needs for its forest to be refit.</summary>
    public const int MinimumTraining = 128;

    /// <summary>Share of a training job's points held back to validate the candidate on.</summary>
    private const double TrainingHeldBack = 0.25;

    /// <summary>Refits so far that have not been collected (<see cref="TakeVersions"/>).</summary>
    private readonly List<ModelVersion> _versions = [];

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
        Label(service, sample.Timestamp);
        Watch(name, service, score, sample.Timestamp);
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

    /// <summary>
    /// Tells that another detector found <paramref name="name"/> abnormal until <paramref name="until"/>:
    /// its points till then are not known normal, and a refit must still catch them.
    /// </summary>
    public void MarkAbnormal(string name, DateTimeOffset until)
    {
        if (_services.TryGetValue(name, out var service) && until > service.AbnormalUntil)
        {
            service.AbnormalUntil = until;
        }
    }

    /// <summary>The refits since the last call, oldest first.</summary>
    public IReadOnlyList<ModelVersion> TakeVersions()
    {
        if (_versions.Count == 0)
        {
            return [];
        }

        var taken = _versions.ToList();
        _versions.Clear();
        return taken;
    }

    /// <summary>
    /// Refits every service's forest on its points since <paramref name="from"/> (the offline training
    /// job), validating each candidate as a drift refit is; returns the refits, which are also
    /// collected by <see cref="TakeVersions"/>. Services with fewer than <see cref="MinimumTraining"/> points then are left alone.
    /// </summary>
    public IReadOnlyList<ModelVersion> Retrain(DateTimeOffset from, DateTimeOffset at)
    {
        var first = _versions.Count;
        foreach (var (name, service) in _services)
        {
            var labelled = Math.Min(service.Seen, service.Arrived.Length);
            var since = 0;
            while (since < labelled && service.Arrived[(service.Seen - 1 - since) % service.Arrived.Length] >= from.UtcTicks)
            {
                since++;
            }

            if (since >= MinimumTraining && service.Forest.Forest is not null)
            {
                Refit(name, service, at, "train", null, since, TrainingHeldBack);
            }
        }

        return _versions[first..];
    }

    /// <summary>Notes whether the point that just arrived was known normal, and keeps it when it was not.</summary>
    private static void Label(Service service, DateTimeOffset at)
    {
        var normal = at >= service.AbnormalUntil;
        if (!normal && service.Forest.Forest is not null)
        {
            service.AbnormalPoints ??= new Queue<double[]>();
            if (service.AbnormalPoints.Count == KeptAbnormal)
            {
                service.AbnormalPoints.Dequeue();
            }

            service.AbnormalPoints.Enqueue([.. service.Latest]);
        }

        var slot = service.Seen++ % service.KnownNormal.Length;
        (service.KnownNormal[slot], service.Arrived[slot]) = (normal, at.UtcTicks);
    }

    /// <summary>Feeds the drift watch and, when it flags the forest, refits, validates and perhaps swaps it.</summary>
    private void Watch(string name, Service service, double score, DateTimeOffset at)
    {
        // Only points known normal feed the watch: a fault moves the scores too, and is not drift.
        if (options.Drift is { } drift && service.Watch is { } watch && score > 0 && at >= service.AbnormalUntil
            && watch.Observe(score, at) is { Drifted: true } reading)
        {
            Refit(name, service, at, "drift", reading, drift.RecentPoints, drift.HeldBack);
        }
    }

    /// <summary>
    /// Grows a candidate on the latest <paramref name="points"/> but the last <paramref name="heldBack"/>
    /// share, judges it and the forest in use on those held back (false alarms on the known normal
    /// ones) and on the service's recent abnormal points (still caught), and swaps it in if at least as
    /// good on enough known-normal points (a refit during a fault is judged on too few, and kept out).
    /// </summary>
    private void Refit(string name, Service service, DateTimeOffset at, string reason, DriftReading? reading, int points, double heldBack)
    {
        var recent = service.Forest.Latest(points);
        var training = (int)Math.Round(recent.Length * (1 - heldBack));
        var candidate = service.Forest.Grow(recent[..training]);
        var (known, currentFalse, candidateFalse) = (0, 0, 0);
        for (var i = training; i < recent.Length; i++)
        {
            // recent[i] arrived (length − i) points before the next one: its label sits that far back in the ring.
            if (service.KnownNormal[((service.Seen - (recent.Length - i)) % service.KnownNormal.Length + service.KnownNormal.Length) % service.KnownNormal.Length])
            {
                known++;
                currentFalse += service.Forest.Forest!.Score(recent[i]) >= options.Threshold ? 1 : 0;
                candidateFalse += candidate.Score(recent[i]) >= options.Threshold ? 1 : 0;
            }
        }

        var abnormal = service.AbnormalPoints?.ToList() ?? [];
        var validation = new ModelValidation(
            known, abnormal.Count, currentFalse, candidateFalse,
            abnormal.Count(p => service.Forest.Forest!.Score(p) >= options.Threshold), abnormal.Count(p => candidate.Score(p) >= options.Threshold));
        var swapped = validation.Conclusive && validation.CandidateAtLeastAsGood;
        _versions.Add(new ModelVersion
        {
            Model = DetectionStage.IsolationForestModel, Key = name, Version = service.Version + 1, At = at, Reason = reason, Drift = reading,
            TrainedOn = training, Validation = validation, Swapped = swapped,
        });
        if (swapped)
        {
            service.Forest.Install(candidate, recent);
            service.Version++;
            service.Watch?.Reset();
        }
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

        /// <summary>The forest's drift watch over its scores (scores live in [0, 1]; ordinary points sit near 0.4 to 0.55).</summary>
        public DriftWatch? Watch { get; } = options.Drift is { } drift ? new DriftWatch(drift, 0.3, 0.8) : null;

        /// <summary>Whether each of the latest points was known normal, by arrival.</summary>
        public bool[] KnownNormal { get; } = new bool[Math.Max(options.Window, options.Drift?.RecentPoints ?? 0)];

        /// <summary>When each of the latest points arrived (UTC ticks), in the same ring.</summary>
        public long[] Arrived { get; } = new long[Math.Max(options.Window, options.Drift?.RecentPoints ?? 0)];

        public int Seen { get; set; }

        public int Version { get; set; } = 1;

        public DateTimeOffset AbnormalUntil { get; set; }

        public Queue<double[]>? AbnormalPoints { get; set; }

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
