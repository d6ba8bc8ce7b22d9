using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Events;
using Medic.Core.Logs;
using Medic.Core.Telemetry;
using Medic.Core.Traces;
using Medic.Sim.Clock;
using Medic.Sim.Cluster;
using Medic.Sim.Estate;
using Medic.Sim.Faults;
using Medic.Sim.Telemetry;

namespace Medic.Sim;

/// <summary>
/// The simulated estate in motion. Each <see cref="StepAsync"/> advances the clock by one scrape
/// interval, lets the injected faults do their harm, and publishes what a real estate's telemetry
/// pipeline would: samples, Kubernetes events and change events. Remediation reaches it through
/// <see cref="Cluster"/>, the simulated Kubernetes API.
/// </summary>
public sealed partial class Simulator
{
    private readonly IBus _bus;
    private readonly SimulatorOptions _options;
    private readonly Random _random;
    private readonly List<(DateTimeOffset Start, DateTimeOffset End)> _spikes = [];

    /// <summary>Databases restarted during a partition, and when they will have their quorum back.</summary>
    private readonly Dictionary<string, DateTimeOffset> _splitBrain = new(StringComparer.Ordinal);

    /// <summary>Messages waiting in each broker's queue.</summary>
    private readonly Dictionary<string, double> _backlog = new(StringComparer.Ordinal);

    /// <summary>The noise of per-pod and per-edge series, apart so that adding series does not change the rest.</summary>
    private readonly Random _detailRandom;

    /// <summary>The choices of traces (which requests, ids, durations), apart for the same reason.</summary>
    private readonly Random _traceRandom;
    private readonly Random _networkRandom;

    /// <summary>The choices of log lines, apart for the same reason.</summary>
    private readonly Random _logRandom;
    private readonly Random _faultRandom;
    private readonly Dictionary<string, PodRuntime> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _badImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _slowConfigs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lockedPods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _podUids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _slowdowns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _retries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _normalLatency = new(StringComparer.Ordinal);
    private DateTimeOffset _packetLossUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _spikeUntil = DateTimeOffset.MinValue;
    private (double Scale, double PeakHour) _traffic = (1, TrafficPattern.PeakHour);
    private readonly Random _backgroundRandom;
    private readonly Dictionary<string, DateTimeOffset> _outages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiredCertificates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _exhaustedPools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _fillingVolumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _volumeUsage = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> _nodeHogCores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _imageHistory = new(StringComparer.Ordinal);
    private readonly List<InjectedFault> _injected = [];
    private readonly Dictionary<string, SeriesKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates the estate and its cluster, all healthy.</summary>
    public Simulator(EstateSpec estate, SimulationClock clock, IBus bus, SimulatorOptions options)
    {
        Estate = estate;
        Clock = clock;
        _bus = bus;
        _options = options;
        _random = new Random(options.Seed);
        // Fault targets come from their own generator, so they depend on the seed alone, not on
        // how many scrapes happened before the injection.
        _faultRandom = new Random(unchecked((options.Seed * 7919) + 17));
        _backgroundRandom = new Random(unchecked((options.Seed * 104_729) + 31));
        _detailRandom = new Random(unchecked((options.Seed * 15_485_863) + 7));
        _traceRandom = new Random(unchecked((options.Seed * 32_452_843) + 11));
        _networkRandom = new Random(unchecked((options.Seed * 49_979_687) + 13));
        _logRandom = new Random(unchecked((options.Seed * 67_867_967) + 19));
        Cluster = new SimCluster(estate, _random, clock);
        foreach (var pod in Cluster.Pods())
        {
            _imageHistory.TryAdd(pod.Service, [$"{pod.Image}|{pod.Config}"]);
        }
    }

    /// <summary>The estate's description.</summary>
    public EstateSpec Estate { get; }

    /// <summary>The simulated clock every stage runs on.</summary>
    public SimulationClock Clock { get; }

    /// <summary>The simulated Kubernetes API.</summary>
    public SimCluster Cluster { get; }

    /// <summary>The faults injected so far, oldest first.</summary>
    public IReadOnlyList<InjectedFault> Injected => _injected;

    /// <summary>The harmless traffic spikes of the background so far: ground truth for signals that belong to no fault.</summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Spikes => _spikes;

    /// <summary>
    /// Changes the traffic pattern for good — not a fault: <paramref name="scale"/> times the traffic, the
    /// day's peak at <paramref name="peakHour"/> (a new market's users, a client moved to another region).
    /// Detectors trained on the old pattern drift.
    /// </summary>
    public void ChangeTraffic(double scale, double peakHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        _traffic = (scale, peakHour);
    }

    /// <summary>Advances one scrape interval and publishes its telemetry.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        Clock.Advance(_options.ScrapeInterval);
        var now = Clock.GetUtcNow();
        Background(now);
        foreach (var change in Changes(now))
        {
            await _bus.PublishAsync(change, cancellationToken);
        }

        var (samples, events, spans, logs) = Observe(now);
        await _bus.PublishAsync(new SampleBatch(samples), cancellationToken);
        if (spans.Count > 0)
        {
            await _bus.PublishAsync(new SpanBatch(spans), cancellationToken);
        }

        if (logs.Count > 0)
        {
            await _bus.PublishAsync(new LogBatch(logs), cancellationToken);
        }
        foreach (var e in events)
        {
            await _bus.PublishAsync(e, cancellationToken);
        }
    }

    /// <summary>Harmless goings-on of a normal day, when the options ask for them: good deploys, configuration changes, traffic spikes.</summary>
    private void Background(DateTimeOffset now)
    {
        var perStep = _options.ScrapeInterval / TimeSpan.FromDays(1);
        if (_options.HarmlessChangesPerDay > 0 && _backgroundRandom.NextDouble() < _options.HarmlessChangesPerDay * perStep)
        {
            var candidates = Estate.Services.Where(s => !s.Stateful && !_faultedServices.Contains(s.Name)).ToList();
            if (candidates.Count > 0)
            {
                var service = candidates[_backgroundRandom.Next(candidates.Count)].Name;
                if (_backgroundRandom.Next(2) == 0)
                {
                    var image = Cluster.Pods().First(p => p.Service == service).Image;
                    var version = image[(image.LastIndexOf(':') + 1)..].Split('.');
                    version[^1] = (int.Parse(version[^1], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Cluster.SetImage(Estate.Namespace, service, $"{image[..(image.LastIndexOf(':') + 1)]}{string.Join('.', version)}", DeployActor);
                }
                else
                {
                    Cluster.SetConfig(Estate.Namespace, service, $"{service}-config-{_backgroundRandom.Next(1_000, 10_000)}", ConfigActor);
                }
            }
        }

        if (_options.TrafficSpikesPerDay > 0 && now >= _spikeUntil && _backgroundRandom.NextDouble() < _options.TrafficSpikesPerDay * perStep)
        {
            _spikeUntil = now + TimeSpan.FromMinutes(5);
            _spikes.Add((now, _spikeUntil));
        }
    }

    /// <summary>Turns the rollouts since the last step into change events: deploys, rollbacks, restarts.</summary>
    private IEnumerable<ChangeEvent> Changes(DateTimeOffset now)
    {
        foreach (var rollout in Cluster.TakeRollouts())
        {
            var history = _imageHistory.TryGetValue(rollout.Service, out var h) ? h : _imageHistory[rollout.Service] = [];
            var (before, after) = ($"{rollout.OldImage}|{rollout.OldConfig}", $"{rollout.NewImage}|{rollout.NewConfig}");
            history.Add(before);
            var kind = after == before ? ChangeKinds.Restart
                : history.Contains(after) ? ChangeKinds.Rollback
                : rollout.NewImage == rollout.OldImage ? ChangeKinds.Config
                : ChangeKinds.Deploy;
            history.Add(after);
            var version = Version(rollout.NewImage);
            var previous = Version(rollout.OldImage);
            yield return new ChangeEvent
            {
                Id = $"change-{rollout.Service}-{now.ToUnixTimeMilliseconds()}-{_random.Next(1_000_000)}",
                Kind = kind,
                Service = rollout.Service,
                Namespace = Estate.Namespace,
                At = rollout.At,
                Actor = rollout.Actor,
                Version = version,
                PreviousVersion = previous,
                Description = kind switch
                {
                    ChangeKinds.Restart => $"rollout restart of {rollout.Service} ({version}) by {rollout.Actor}",
                    ChangeKinds.Rollback => $"rollback of {rollout.Service} from {previous} to {version} by {rollout.Actor}",
                    ChangeKinds.Config => $"configuration of {rollout.Service} changed to {rollout.NewConfig} by {rollout.Actor}",
                    _ => $"deploy of {rollout.Service} {version} (was {previous}) by {rollout.Actor}",
                },
            };
        }
    }

    private static string Version(string image) => image[(image.LastIndexOf(':') + 1)..];

    private SeriesKey Key(string name, params string[] labels)
    {
        var id = string.Join('\u0001', labels.Prepend(name));
        if (!_keys.TryGetValue(id, out var key))
        {
            _keys[id] = key = SeriesKey.Of(name, labels);
        }

        return key;
    }

    private static KubernetesEvent OomEvent(string ns, PodView pod, DateTimeOffset at) =>
        new("OOMKilled", "Warning", "Pod", pod.Name, ns, $"Container {pod.Service} was OOMKilled (memory limit {SimCluster.MemoryLimitBytes >> 20}Mi); restarting", at)
        {
            Service = pod.Service,
            Node = pod.Node,
        };
}
