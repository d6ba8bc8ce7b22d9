using Medic.Core.Events;
using Medic.Core.Logs;
using Medic.Core.Telemetry;
using Medic.Core.Traces;
using Medic.Sim.Cluster;
using Medic.Sim.Estate;
using Medic.Sim.Telemetry;

namespace Medic.Sim;

public sealed partial class Simulator
{
    private const double PodBaseCores = 0.25;
    private const double PodBaseMemoryBytes = 280.0 * (1 << 20);
    private const double RequestsPerPodCapacity = 100;
    /// <summary>The share of a callee's failures its caller passes on as its own (the rest it retries or degrades around).</summary>
    private const double CalleeFailureSpread = 0.9;

    private const double BaseErrorRatio = 0.002;

    /// <summary>How full a database's volume is on a normal day.</summary>
    private const double VolumeBaseUsage = 0.42;

    /// <summary>The tier of a cache: when it is down, its callers go to the database instead.</summary>
    private const string CacheTier = "cache";

    /// <summary>Bytes a request brings in and a response sends out, on average.</summary>
    private const double RequestBytes = 2_048, ResponseBytes = 8_192;

    /// <summary>What a node sends and receives besides its pods' requests (kubelet, logs, probes).</summary>
    private const double NodeBaseBytes = 200_000;

    /// <summary>The third party's own p99, as its caller sees it.</summary>
    private const double ProviderLatencySeconds = 0.15;

    /// <summary>The share of a service's calls to its third party that fail: half during an outage there.</summary>
    private double ProviderErrors(string service, DateTimeOffset now) =>
        _outages.TryGetValue(service, out var until) && now < until ? 0.5 : BaseErrorRatio;

    /// <summary>The median of a request's latency as a share of its 99th percentile.</summary>
    private const double MedianShare = 0.4;

    /// <summary>The routes every service serves: reads and writes.</summary>
    private static readonly string[] Routes = ["GET", "POST"];

    private static double RouteShare(string route) => route == "GET" ? 0.8 : 0.2;

    /// <summary>Scrapes a pod started from cold (a deleted pod's replacement, a restarted StatefulSet's) takes before it serves.</summary>
    private const int StartupScrapes = 3;

    /// <summary>How long a database restarted during a partition takes to catch up once the network heals.</summary>
    private static readonly TimeSpan SplitBrainResync = TimeSpan.FromMinutes(5);

    /// <summary>Connections in each caller's pool to a database.</summary>
    private const int PoolSize = 20;

    /// <summary>Scrapes a leaking pool lasts before it runs dry (five minutes).</summary>
    private const int PoolScrapes = 30;

    /// <summary>The database the callers of a cache go to when it is down: the stateful non-cache service with the most callers.</summary>
    private string? CacheFallback => Estate.Services.Where(s => s.Stateful && s.Tier != CacheTier)
        .OrderByDescending(s => Estate.Calls.Count(c => c.To == s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal)
        .FirstOrDefault()?.Name;

    /// <summary>One scrape of the whole estate: samples, plus the Kubernetes events, spans and log lines of this interval.</summary>
    private (List<Sample> Samples, List<KubernetesEvent> Events, List<SpanRecord> Spans, List<LogRecord> Logs) Observe(DateTimeOffset now)
    {
        var ns = Estate.Namespace;
        var samples = new List<Sample>();
        var events = new List<KubernetesEvent>();
        var pods = Cluster.Pods();
        ForgetGonePods(pods);

        // A cache with no ready pod misses everything: its callers go to the database behind it.
        var fallback = CacheFallback;
        var cachesDown = Estate.Services.Where(s => s.Tier == CacheTier && fallback is not null && !pods.Any(p => p.Service == s.Name && _pods[p.Name].Ready))
            .Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string Served(string callee) => cachesDown.Contains(callee) ? fallback! : callee;
        foreach (var cache in Estate.Services.Where(s => s.Tier == CacheTier))
        {
            samples.Add(new Sample(Key("cache_hit_ratio", "namespace", ns, "service", cache.Name), now, cachesDown.Contains(cache.Name) ? 0 : Math.Clamp(0.92 + (0.01 * Gaussian.Next(_random)), 0, 1)));
        }

        // Traffic flows from the entry service down the call graph.
        var rps = Estate.Services.ToDictionary(s => s.Name, _ => 0.0);
        var spike = now < _spikeUntil ? 1.33 : 1.0;
        rps[Estate.EntryService] = Estate.PeakRequestsPerSecond * _traffic.Scale * TrafficPattern.Level(now, _traffic.PeakHour) * spike * (1 + (0.02 * Gaussian.Next(_random)));
        foreach (var service in Estate.CalleesFirst().Reverse())
        {
            foreach (var call in Estate.Calls.Where(c => c.From == service.Name))
            {
                // Callers that time out retry: a callee far slower than its normal gets up to four times the calls.
                rps[Served(call.To)] += rps[service.Name] * call.PerRequest * _retries.GetValueOrDefault(call.To, 1.0);
                // A caller still tries a failed cache (and times out) before it falls back to the database behind it.
                samples.Add(new Sample(Key("service_client_request_rate", "namespace", ns, "peer_service", call.To, "service", call.From), now, rps[service.Name] * call.PerRequest));
                if (Served(call.To) != call.To)
                {
                    samples.Add(new Sample(Key("service_client_request_rate", "namespace", ns, "peer_service", Served(call.To), "service", call.From), now, rps[service.Name] * call.PerRequest));
                }
            }
        }

        // Pods: memory (and the leak's OOM kills), CPU, network.
        var podCores = new Dictionary<string, double>(StringComparer.Ordinal);
        var podNetwork = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var runtime = _pods[pod.Name];
            var spec = Estate.Service(pod.Service);
            var share = rps[pod.Service] / Math.Max(1, pods.Count(p => p.Service == pod.Service));
            if (runtime.RestartingTicks > 0)
            {
                runtime.RestartingTicks--;
            }

            runtime.LeakedBytes += runtime.LeakBytesPerTick;
            var memory = PodBaseMemoryBytes + (share * 0.05 * (1 << 20)) + runtime.LeakedBytes + (3.0 * (1 << 20) * Gaussian.Next(_random));
            if (memory >= SimCluster.MemoryLimitBytes)
            {
                events.Add(OomEvent(ns, pod, now));
                Cluster.RecordRestart(ns, pod.Name, "OOMKilled");
                runtime.LeakedBytes = 0;
                runtime.RestartingTicks = 3;
                memory = PodBaseMemoryBytes;
            }

            podCores[pod.Name] = Math.Max(0.01, PodBaseCores + (share * spec.CpuPerRequest) + (0.01 * Gaussian.Next(_random)));
            var labels = new[] { "namespace", ns, "node", pod.Node, "pod", pod.Name, "service", pod.Service };
            samples.Add(new Sample(Key("container_memory_working_set_bytes", labels), now, memory));
            samples.Add(new Sample(Key("container_cpu_usage_cores", labels), now, podCores[pod.Name]));
            samples.Add(new Sample(Key("container_network_receive_bytes_rate", labels), now, share * RequestBytes * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("container_network_transmit_bytes_rate", labels), now, share * ResponseBytes * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            podNetwork[pod.Node] = podNetwork.GetValueOrDefault(pod.Node) + (share * (RequestBytes + ResponseBytes));
        }

        // Nodes: the pods' CPU plus any noisy neighbour outside Kubernetes.
        var nodeUtilisation = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var node in Estate.Nodes)
        {
            var onNode = pods.Where(p => p.Node == node.Name).ToList();
            var cores = onNode.Sum(p => podCores[p.Name]) + 0.3 + _nodeHogCores.GetValueOrDefault(node.Name);
            nodeUtilisation[node.Name] = Math.Clamp((cores / node.Cores) + (0.01 * Gaussian.Next(_random)), 0, 1);
            var memory = (2.0 * (1L << 30)) + onNode.Sum(p => PodBaseMemoryBytes + _pods[p.Name].LeakedBytes);
            samples.Add(new Sample(Key("node_cpu_utilization", "node", node.Name, "zone", node.Zone), now, nodeUtilisation[node.Name]));
            samples.Add(new Sample(Key("node_memory_utilization", "node", node.Name, "zone", node.Zone), now, Math.Clamp(memory / node.MemoryBytes, 0, 1)));
            samples.Add(new Sample(Key("node_network_bytes_rate", "node", node.Name, "zone", node.Zone), now, (podNetwork.GetValueOrDefault(node.Name) + NodeBaseBytes) * (1 + (0.02 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("node_filesystem_usage_ratio", "node", node.Name, "zone", node.Zone), now, Math.Clamp(0.55 + (0.002 * Gaussian.Next(_detailRandom)), 0, 1)));
            samples.Add(new Sample(Key("node_tcp_retransmit_segments_rate", "node", node.Name, "zone", node.Zone), now, RetransmitRate(node, podNetwork.GetValueOrDefault(node.Name) + NodeBaseBytes, now)));
        }

        // Databases' volumes: steady, or filling up after a disk-full fault.
        foreach (var database in Estate.Services.Where(s => s.Stateful))
        {
            var usage = _volumeUsage.GetValueOrDefault(database.Name, VolumeBaseUsage);
            usage = _fillingVolumes.ContainsKey(database.Name) ? Math.Min(1, usage + 0.005) : usage;
            _volumeUsage[database.Name] = usage;
            samples.Add(new Sample(Key("volume_usage_ratio", "namespace", ns, "service", database.Name), now, Math.Clamp(usage + (0.002 * Gaussian.Next(_random)), 0, 1)));
        }

        // Leaking connection pools drain a little more each scrape.
        foreach (var pod in _exhaustedPools.Keys.ToList())
        {
            _exhaustedPools[pod]++;
        }

        // Services: latency and errors flow up the call graph, so callers suffer their callees' faults.
        var latency = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        var ownErrors = new Dictionary<string, double>(StringComparer.Ordinal);
        // A cache's callers are judged after the database they fall back to (a database calls nothing).
        var order = Estate.CalleesFirst().OrderBy(s => s.Name == fallback && cachesDown.Count > 0 && !Estate.Calls.Any(c => c.From == s.Name) ? 0 : 1);
        foreach (var service in order)
        {
            var mine = pods.Where(p => p.Service == service.Name).ToList();
            var ready = mine.Where(p => _pods[p.Name].Ready).ToList();
            var callees = Estate.Calls.Where(c => c.From == service.Name).Select(c => c.To).ToList();
            var crossing = CrossZoneShare(service.Name, callees, pods, now);
            latency[service.Name] = OwnLatency(service, ready, rps[service.Name], nodeUtilisation) + callees.Sum(c => 0.5 * latency[Served(c)]) + (0.1 * crossing);
            // A third party's outage reaches the service through its calls to it, not through its own code.
            var outage = _outages.TryGetValue(service.Name, out var until) && now < until;
            var outside = outage ? 0.5
                : _splitBrain.TryGetValue(service.Name, out var quorumBack) && now < quorumBack ? 0.6
                : _expiredCertificates.Contains(service.Name) ? 1.0
                : _volumeUsage.GetValueOrDefault(service.Name) >= 0.98 ? 0.4
                : Math.Min(0.5, ready.Sum(p => Math.Max(0, _exhaustedPools.GetValueOrDefault(p.Name) - PoolScrapes)) / (100.0 * Math.Max(1, ready.Count)));
            ownErrors[service.Name] = 1 - ((1 - OwnErrors(mine, ready)) * (1 - (outage ? 0 : outside)) * (1 - (0.1 * crossing)));
            errors[service.Name] = 1 - ((1 - ownErrors[service.Name]) * (1 - (outage ? outside : 0)) * callees.Aggregate(1.0, (ok, c) => ok * (1 - (CalleeFailureSpread * errors[Served(c)]))));
            Retry(service.Name, latency[service.Name]);
            var labels = new[] { "namespace", ns, "service", service.Name };
            samples.Add(new Sample(Key("service_request_rate", labels), now, rps[service.Name]));
            samples.Add(new Sample(Key("service_latency_p99_seconds", labels), now, latency[service.Name]));
            samples.Add(new Sample(Key("service_error_ratio", labels), now, Math.Clamp(errors[service.Name], 0, 1)));
            Details(samples, service.Name, ready, callees.Select(Served).ToList(), rps[service.Name], latency, errors, nodeUtilisation, now);
            if (service.Stateful && callees.Count > 0)
            {
                // A broker: messages its consumers fail to take wait in the queue; healthy consumers drain it fast.
                var failing = callees.Max(c => errors[Served(c)]);
                var backlog = (_backlog.GetValueOrDefault(service.Name) * (failing < 0.05 ? 0.5 : 1)) + (rps[service.Name] * _options.ScrapeInterval.TotalSeconds * failing);
                _backlog[service.Name] = backlog;
                samples.Add(new Sample(Key("queue_messages_ready", labels), now, backlog + (5 * (1 + (0.2 * Gaussian.Next(_detailRandom))))));
            }
        }

        return (samples, events, Traces(now, rps[Estate.EntryService], pods, latency, errors, ownErrors, Served), Logs(now, pods, rps, latency, errors, ownErrors, Served));
    }

    /// <summary>
    /// What each ready pod reports of its own requests (its share, its latency as slowed by its own
    /// node, the service's errors) and what the service sees of each callee as a client.
    /// </summary>
    private void Details(List<Sample> samples, string service, List<PodView> ready, List<string> callees, double rps, Dictionary<string, double> latency, Dictionary<string, double> errors, Dictionary<string, double> nodeUtilisation, DateTimeOffset now)
    {
        var ns = Estate.Namespace;
        double Contention(PodView pod) => 1 + (15 * Math.Max(0, nodeUtilisation[pod.Node] - 0.8));
        var slowest = ready.Count == 0 ? 1 : ready.Max(Contention);
        foreach (var pod in ready)
        {
            var labels = new[] { "namespace", ns, "node", pod.Node, "pod", pod.Name, "service", service };
            samples.Add(new Sample(Key("pod_request_rate", labels), now, rps / ready.Count * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("pod_latency_p99_seconds", labels), now, latency[service] * Contention(pod) / slowest * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("pod_error_ratio", labels), now, Math.Clamp(errors[service] * (1 + (0.1 * Gaussian.Next(_detailRandom))), 0, 1)));
            samples.Add(new Sample(Key("pod_latency_p50_seconds", labels), now, MedianShare * latency[service] * Contention(pod) / slowest * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
        }

        // The service's own view: the median beside the tail, and each route (reads and writes fail and slow alike).
        var own = new[] { "namespace", ns, "service", service };
        samples.Add(new Sample(Key("service_latency_p50_seconds", own), now, MedianShare * latency[service] * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
        foreach (var route in Routes)
        {
            var labels = new[] { "http_route", $"{route} /api/{service}", "namespace", ns, "service", service };
            samples.Add(new Sample(Key("http_route_request_rate", labels), now, rps * RouteShare(route) * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("http_route_error_ratio", labels), now, Math.Clamp(errors[service] * (1 + (0.1 * Gaussian.Next(_detailRandom))), 0, 1)));
            samples.Add(new Sample(Key("http_route_latency_p99_seconds", labels), now, latency[service] * (route == "POST" ? 1.2 : 1.0) * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
        }

        if (service == ExternalCaller)
        {
            // Its calls to the third party, as its HTTP client reports them: the only place an outage there shows.
            var labels = new[] { "namespace", ns, "peer_service", Provider(service), "service", service };
            samples.Add(new Sample(Key("service_client_request_rate", labels), now, rps * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("service_client_latency_p99_seconds", labels), now, ProviderLatencySeconds * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("service_client_error_ratio", labels), now, Math.Clamp(ProviderErrors(service, now) * (1 + (0.1 * Gaussian.Next(_detailRandom))), 0, 1)));
        }

        foreach (var callee in callees)
        {
            var labels = new[] { "namespace", ns, "peer_service", callee, "service", service };
            if (Estate.Service(callee) is { Stateful: true, Tier: not CacheTier })
            {
                // Little's law: connections busy = calls a second × seconds each, up to the pool; a drained pool is full.
                var perCall = Estate.Calls.FirstOrDefault(c => c.From == service && c.To == callee)?.PerRequest ?? 1;
                var pool = Math.Max(1, ready.Count) * PoolSize;
                var busy = ready.Any(p => _exhaustedPools.GetValueOrDefault(p.Name) > PoolScrapes) ? pool : rps * perCall * latency[callee];
                samples.Add(new Sample(Key("db_client_connections_in_use", labels), now, Math.Min(pool, busy * (1 + (0.05 * Gaussian.Next(_detailRandom))))));
            }

            samples.Add(new Sample(Key("service_client_latency_p99_seconds", labels), now, latency[callee] * (1 + (0.03 * Gaussian.Next(_detailRandom)))));
            samples.Add(new Sample(Key("service_client_error_ratio", labels), now, Math.Clamp(errors[callee] * (1 + (0.1 * Gaussian.Next(_detailRandom))), 0, 1)));
        }
    }

    /// <summary>
    /// p99 of the service's own work: grows with load per ready pod, and with CPU contention on the
    /// slowest node it runs on (the tail is set by the slowest pod).
    /// </summary>
    private double OwnLatency(ServiceSpec service, List<PodView> ready, double rps, Dictionary<string, double> nodeUtilisation)
    {
        if (ready.Count == 0)
        {
            return 30.0; // Every request waits for a timeout.
        }

        var load = rps / (ready.Count * RequestsPerPodCapacity);
        var contention = ready.Max(p => 1 + (15 * Math.Max(0, nodeUtilisation[p.Node] - 0.8)));
        var configuration = ready.Max(p => _slowConfigs.GetValueOrDefault(p.Config, 1.0));
        var locked = ready.Any(p => _lockedPods.Contains(p.Name)) ? 8.0 : 1.0;
        locked *= _slowdowns.TryGetValue(service.Name, out var slowUntil) && Clock.GetUtcNow() < slowUntil ? 2.0 : 1.0;
        var waiting = 1 + Math.Min(10, ready.Max(p => Math.Max(0, _exhaustedPools.GetValueOrDefault(p.Name) - PoolScrapes)) / 5.0);
        return service.LatencySeconds * (1 + (0.5 * load * load)) * contention * configuration * locked * waiting * (1 + (0.03 * Gaussian.Next(_random)));
    }

    /// <summary>Errors of the service's own: a base rate, a bad version's failures, and requests caught by restarting pods.</summary>
    private double OwnErrors(List<PodView> all, List<PodView> ready)
    {
        if (all.Count == 0)
        {
            return 1.0;
        }

        var bad = all.Sum(p => _badImages.GetValueOrDefault(p.Image)) / all.Count;
        var restarting = (all.Count - ready.Count) / (double)all.Count;
        return Math.Clamp((BaseErrorRatio * (1 + (0.2 * Gaussian.Next(_random)))) + bad + (0.3 * restarting), 0, 1);
    }

    /// <summary>
    /// Every service's normal latency is learnt while it is calm. The callers of a retry storm's
    /// service time out once it runs at more than one and a half times that and retry, each scrape a
    /// little more (up to four tries), backing off as it recovers.
    /// </summary>
    private void Retry(string service, double latency)
    {
        var normal = _normalLatency.GetValueOrDefault(service, latency);
        var retries = _retries.GetValueOrDefault(service, 1.0);
        if (_slowdowns.ContainsKey(service) && latency > 1.5 * normal)
        {
            _retries[service] = Math.Min(4.0, retries + 0.25);
            return;
        }

        _retries[service] = Math.Max(1.0, retries - 0.25);
        if (retries == 1.0 && !_slowdowns.ContainsKey(service))
        {
            _normalLatency[service] = normal + (0.05 * (latency - normal));
        }
    }

    /// <summary>
    /// TCP segments a node retransmits per second (node exporter's <c>node_netstat_Tcp_RetransSegs</c> as a
    /// rate): about 0.1% of its segments, and 10% of those crossing zones while the link between them drops packets.
    /// </summary>
    private double RetransmitRate(NodeSpec node, double bytesPerSecond, DateTimeOffset now)
    {
        const double SegmentBytes = 1_448, NormalRatio = 0.001, LossRatio = 0.10;
        var segments = bytesPerSecond / SegmentBytes;
        var crossing = now < _packetLossUntil ? Estate.Nodes.Count(n => n.Zone != node.Zone) / (double)Math.Max(1, Estate.Nodes.Count - 1) : 0;
        return Math.Max(0, segments * ((NormalRatio * (1 + (0.2 * Gaussian.Next(_networkRandom)))) + (crossing * LossRatio)));
    }

    /// <summary>The share of a service's calls that cross between zones while the link drops packets (0 otherwise).</summary>
    private double CrossZoneShare(string service, List<string> callees, IReadOnlyList<PodView> pods, DateTimeOffset now)
    {
        if (now >= _packetLossUntil || callees.Count == 0)
        {
            return 0;
        }

        var zoneOf = Estate.Nodes.ToDictionary(n => n.Name, n => n.Zone, StringComparer.Ordinal);
        double Share(string name, string zone) =>
            pods.Count(p => p.Service == name && zoneOf[p.Node] == zone) / (double)Math.Max(1, pods.Count(p => p.Service == name));
        var zones = zoneOf.Values.Distinct().ToList();
        return callees.Average(callee => 1 - zones.Sum(z => Share(service, z) * Share(callee, z)));
    }

    private void ForgetGonePods(IReadOnlyList<PodView> pods)
    {
        // A pod replaced under the same name (a StatefulSet's) is gone too: its uid changed.
        var live = pods.Where(p => _podUids.GetValueOrDefault(p.Name, p.Uid) == p.Uid).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var names = pods.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _podUids.Keys.Where(n => !names.Contains(n)).ToList())
        {
            _podUids.Remove(name);
        }

        foreach (var pod in pods)
        {
            _podUids[pod.Name] = pod.Uid;
        }

        foreach (var gone in _pods.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _pods.Remove(gone);
            _exhaustedPools.Remove(gone);
            _lockedPods.Remove(gone);
        }

        var starting = Cluster.TakeStarting();
        foreach (var pod in pods)
        {
            _pods.TryAdd(pod.Name, new PodRuntime { RestartingTicks = starting.Contains(pod.Uid) ? StartupScrapes : 0 });
            if (starting.Contains(pod.Uid) && Estate.Service(pod.Service).Stateful && Clock.GetUtcNow() < _packetLossUntil)
            {
                // A database restarted while its zones cannot reach each other comes back without a quorum: it
                // refuses writes until the network heals and it has caught up.
                _splitBrain[pod.Service] = _packetLossUntil + SplitBrainResync;
            }
        }
    }
}
