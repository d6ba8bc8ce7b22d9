using Medic.Core.Signals;
using Medic.Sim.Faults;

namespace Medic.Sim;

public sealed partial class Simulator
{
    private const string DeployActor = "ci/deploy-pipeline";
    private const string ConfigActor = "ops/config-sync";
    private readonly HashSet<string> _faultedServices = new(StringComparer.Ordinal);

    /// <summary>Injects a fault of the given kind (see <see cref="FaultKinds"/>) on a target chosen by the seed.</summary>
    public InjectedFault Inject(string kind)
    {
        var fault = kind switch
        {
            FaultKinds.MemoryLeak => InjectMemoryLeak(),
            FaultKinds.BadDeploy => InjectBadDeploy(),
            FaultKinds.NoisyNeighbour => InjectNoisyNeighbour(),
            FaultKinds.BadConfig => InjectBadConfig(),
            FaultKinds.DatabaseLock => InjectDatabaseLock(),
            FaultKinds.DependencyOutage => InjectDependencyOutage(),
            FaultKinds.CertificateExpiry => InjectCertificateExpiry(),
            FaultKinds.ConnectionPoolExhaustion => InjectConnectionPoolExhaustion(),
            FaultKinds.DiskFull => InjectDiskFull(),
            FaultKinds.CacheFailure => InjectCacheFailure(),
            FaultKinds.RetryStorm => InjectRetryStorm(),
            FaultKinds.PacketLoss => InjectPacketLoss(),
            _ => throw new ArgumentException($"Unknown fault '{kind}'; known: {string.Join(", ", FaultKinds.All)}.", nameof(kind)),
        };
        _injected.Add(fault);
        return fault;
    }

    private InjectedFault InjectMemoryLeak()
    {
        var service = PickStatelessService();
        var pods = Cluster.Pods().Where(p => p.Service == service).ToList();
        var pod = pods[_faultRandom.Next(pods.Count)];
        ForgetGonePods(Cluster.Pods());
        _pods[pod.Name].LeakBytesPerTick = 6.0 * (1 << 20);
        return new InjectedFault(
            FaultKinds.MemoryLeak,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"pod {pod.Name} leaks 6 MiB per scrape"),
            $"pod {pod.Name} of {service} starts leaking memory");
    }

    private InjectedFault InjectBadDeploy()
    {
        var service = PickStatelessService();
        var current = Cluster.Pods().First(p => p.Service == service).Image;
        var version = current[(current.LastIndexOf(':') + 1)..];
        var parts = version.Split('.');
        parts[^1] = (int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bad = $"{current[..(current.LastIndexOf(':') + 1)]}{string.Join('.', parts)}";
        _badImages[bad] = 0.2;
        Cluster.SetImage(Estate.Namespace, service, bad, DeployActor);
        return new InjectedFault(
            FaultKinds.BadDeploy,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"version {string.Join('.', parts)} fails 20% of requests"),
            $"{DeployActor} deploys {service} {string.Join('.', parts)} (was {version}), a version that fails 20% of requests");
    }

    private InjectedFault InjectBadConfig()
    {
        var service = PickStatelessService();
        var revision = $"{service}-config-{_faultRandom.Next(1_000, 10_000)}";
        _slowConfigs[revision] = 5.0;
        Cluster.SetConfig(Estate.Namespace, service, revision, ConfigActor);
        return new InjectedFault(
            FaultKinds.BadConfig,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"configuration {revision} makes every request five times slower"),
            $"{ConfigActor} changes the configuration of {service} to {revision} (a connection timeout raised tenfold), making it five times slower");
    }

    /// <summary>How long a third-party outage lasts.</summary>
    public static readonly TimeSpan DependencyOutageLength = TimeSpan.FromMinutes(30);

    private InjectedFault InjectDatabaseLock()
    {
        // The stateful service most called: the database everyone waits on.
        var database = Estate.Services.Where(s => s.Stateful)
            .OrderByDescending(s => Estate.Calls.Count(c => c.To == s.Name))
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .First().Name;
        foreach (var pod in Cluster.Pods().Where(p => p.Service == database))
        {
            _lockedPods.Add(pod.Name);
        }

        return new InjectedFault(
            FaultKinds.DatabaseLock,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, database, "a long-running migration holds a table lock; queries wait for it"),
            $"a schema migration on {database} holds a table lock; every query waits");
    }

    /// <summary>Ends the sessions that hold locks in <paramref name="database"/>, as a DBA would; returns whether any did.</summary>
    public bool EndBlockingQueries(string database)
    {
        var ended = false;
        foreach (var pod in Cluster.Pods().Where(p => p.Service == database))
        {
            ended |= _lockedPods.Remove(pod.Name);
        }

        return ended;
    }

    /// <summary>The service that calls a third party outside the estate, when the estate has one: the one that takes payments.</summary>
    private string? ExternalCaller => Estate.Services.FirstOrDefault(s => s.Name == "payment")?.Name;

    /// <summary>The third party a service calls.</summary>
    private static string Provider(string caller) => $"{caller}-provider";

    private InjectedFault InjectDependencyOutage()
    {
        // The service that calls out of the estate: the one that takes payments, else the deepest stateless one.
        var caller = ExternalCaller ?? PickStatelessService();
        _outages[caller] = Clock.GetUtcNow() + DependencyOutageLength;
        var provider = Provider(caller);
        return new InjectedFault(
            FaultKinds.DependencyOutage,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Dependency, provider, $"the third-party {provider} fails half of {caller}'s calls for {DependencyOutageLength.TotalMinutes:0} minutes") { Affected = [caller] },
            $"the third-party {provider} that {caller} calls starts failing half of its requests");
    }

    private InjectedFault InjectCertificateExpiry()
    {
        var service = PickStatelessService();
        _expiredCertificates.Add(service);
        return new InjectedFault(
            FaultKinds.CertificateExpiry,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"the TLS certificate of {service} expired; clients refuse the handshake"),
            $"the TLS certificate of {service} expires");
    }

    /// <summary>Issues a new certificate for <paramref name="service"/>, as cert-manager would when asked; returns whether it had expired.</summary>
    public bool RenewCertificate(string service) => _expiredCertificates.Remove(service);

    private InjectedFault InjectConnectionPoolExhaustion()
    {
        // A service that talks to a database, so that it has a connection pool to leak.
        var databases = Estate.Services.Where(s => s.Stateful).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var candidates = Estate.Services.Where(s => !s.Stateful && !_faultedServices.Contains(s.Name) && Estate.Calls.Any(c => c.From == s.Name && databases.Contains(c.To))).Select(s => s.Name).ToList();
        var service = candidates.Count > 0 ? candidates[_faultRandom.Next(candidates.Count)] : PickStatelessService();
        _faultedServices.Add(service);
        foreach (var pod in Cluster.Pods().Where(p => p.Service == service))
        {
            _exhaustedPools[pod.Name] = 0;
        }

        return new InjectedFault(
            FaultKinds.ConnectionPoolExhaustion,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"{service} leaks database connections; its pool runs dry and requests time out"),
            $"{service} starts leaking database connections from its pool");
    }

    private InjectedFault InjectDiskFull()
    {
        var database = Estate.Services.Where(s => s.Stateful).OrderBy(s => s.Name, StringComparer.Ordinal).ElementAt(_faultRandom.Next(Estate.Services.Count(s => s.Stateful))).Name;
        _fillingVolumes[database] = _volumeUsage.GetValueOrDefault(database, VolumeBaseUsage);
        return new InjectedFault(
            FaultKinds.DiskFull,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, database, $"the volume of {database} fills up with logs; writes fail once it is full"),
            $"the volume of {database} starts filling up");
    }

    /// <summary>Frees space on a database's volume (old logs removed), as an operator would; returns whether it was filling.</summary>
    public bool FreeDisk(string database)
    {
        _volumeUsage[database] = VolumeBaseUsage;
        return _fillingVolumes.Remove(database);
    }

    private InjectedFault InjectCacheFailure()
    {
        var cache = Estate.Services.FirstOrDefault(s => s.Tier == CacheTier)?.Name
            ?? throw new InvalidOperationException($"the estate has no service of tier {CacheTier} for a cache failure");
        ForgetGonePods(Cluster.Pods());
        foreach (var pod in Cluster.Pods().Where(p => p.Service == cache))
        {
            _pods[pod.Name].Crashed = true;
        }

        return new InjectedFault(
            FaultKinds.CacheFailure,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, cache, $"the {cache} process hangs; every lookup misses and goes to the database") { Affected = CacheFallback is { } database ? [database] : [] },
            $"the {cache} process hangs");
    }

    /// <summary>How long the slowdown that starts a retry storm lasts.</summary>
    public static readonly TimeSpan RetryStormTrigger = TimeSpan.FromMinutes(10);

    /// <summary>How long the inter-zone link drops packets.</summary>
    public static readonly TimeSpan PacketLossLength = TimeSpan.FromHours(1);

    private InjectedFault InjectRetryStorm()
    {
        // The stateless service with the most callers: its slowdown reaches the most retries.
        var service = Estate.Services.Where(s => !s.Stateful && s.Name != Estate.EntryService && !_faultedServices.Contains(s.Name))
            .OrderByDescending(s => Estate.Calls.Count(c => c.To == s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal).First().Name;
        _faultedServices.Add(service);
        _slowdowns[service] = Clock.GetUtcNow() + RetryStormTrigger;
        return new InjectedFault(
            FaultKinds.RetryStorm,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Service, service, $"a doubling of {service}'s own latency for {RetryStormTrigger.TotalMinutes:0} minutes makes its callers retry; the retries keep it overloaded")
            {
                // The retried calls go on to what it calls.
                Affected = [.. Estate.Calls.Where(c => c.From == service).Select(c => c.To).Distinct()],
            },
            $"{service} takes twice as long (a slow dependency of its own); its callers start to time out");
    }

    /// <summary>Turns off the retries of <paramref name="service"/>'s callers (a feature flag of their client), as an operator would to stop a retry storm; returns whether they were retrying.</summary>
    public bool DisableRetries(string service)
    {
        var retrying = _retries.GetValueOrDefault(service, 1.0) > 1.0;
        _slowdowns.Remove(service);
        _retries[service] = 1.0;
        return retrying;
    }

    private InjectedFault InjectPacketLoss()
    {
        var zones = Estate.Nodes.Select(n => n.Zone).Distinct().Order(StringComparer.Ordinal).ToList();
        if (zones.Count < 2)
        {
            throw new InvalidOperationException("packet loss between zones needs an estate in two zones");
        }

        _packetLossUntil = Clock.GetUtcNow() + PacketLossLength;
        var link = $"{zones[0]}~{zones[1]}";
        return new InjectedFault(
            FaultKinds.PacketLoss,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Network, link, $"the link {link} drops 10% of packets for {PacketLossLength.TotalHours:0} hour; calls across it fail or wait")
            {
                Affected = [.. Estate.Services.Where(s => Estate.Calls.Any(c => c.From == s.Name)).Select(s => s.Name)],
            },
            $"the network between {zones[0]} and {zones[1]} starts dropping packets");
    }

    private InjectedFault InjectNoisyNeighbour()
    {
        // A node that runs several services and is not cordoned, so that the fault has victims.
        var candidates = Cluster.Pods().GroupBy(p => p.Node)
            .Where(g => !Cluster.IsCordoned(g.Key) && g.Select(p => p.Service).Distinct().Count() >= 2)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var busiest = candidates[_faultRandom.Next(candidates.Count)];
        _nodeHogCores[busiest.Key] = 3.4;
        return new InjectedFault(
            FaultKinds.NoisyNeighbour,
            Clock.GetUtcNow(),
            new GroundTruth(EntityKinds.Node, busiest.Key, "a backup process outside Kubernetes takes 3.4 of its 4 cores")
            {
                Affected = [.. busiest.Select(p => p.Service).Distinct().Order(StringComparer.Ordinal)],
            },
            $"a runaway backup process on {busiest.Key} saturates its CPU, slowing {string.Join(", ", busiest.Select(p => p.Service).Distinct().Order(StringComparer.Ordinal))}");
    }

    /// <summary>
    /// Ends every fault's effect, as the on-call engineers would by hand once Medic has had its
    /// chance (a game day moves on to the next fault): leaks, locks, outages, certificates, pools,
    /// volumes, caches, retries, the network, split databases and host processes are made well, drained nodes are
    /// returned to service; a bad version or
    /// configuration still deployed is hotfixed in place.
    /// </summary>
    public void ClearFaults()
    {
        _badImages.Clear();
        _slowConfigs.Clear();
        _lockedPods.Clear();
        _outages.Clear();
        _expiredCertificates.Clear();
        _exhaustedPools.Clear();
        _fillingVolumes.Clear();
        _volumeUsage.Clear();
        _slowdowns.Clear();
        _retries.Clear();
        _nodeHogCores.Clear();
        _packetLossUntil = DateTimeOffset.MinValue;
        _splitBrain.Clear();
        _faultedServices.Clear();
        Cluster.UncordonAll();
        foreach (var runtime in _pods.Values)
        {
            (runtime.LeakBytesPerTick, runtime.LeakedBytes, runtime.Crashed) = (0, 0, false);
        }
    }

    /// <summary>
    /// Stops what runs on a node outside Kubernetes (the runaway backup of a noisy neighbour), as an
    /// operator would over SSH. Returns whether there was anything to stop.
    /// </summary>
    public bool StopHostProcesses(string node) => _nodeHogCores.TryRemove(node, out _);

    /// <summary>A stateless service not faulted before (the entry service last), chosen by the seed.</summary>
    private string PickStatelessService()
    {
        var candidates = Estate.Services.Where(s => !s.Stateful && s.Name != Estate.EntryService && !_faultedServices.Contains(s.Name)).Select(s => s.Name).ToList();
        var service = candidates.Count > 0 ? candidates[_faultRandom.Next(candidates.Count)] : Estate.EntryService;
        _faultedServices.Add(service);
        return service;
    }
}
