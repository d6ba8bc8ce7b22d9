namespace Medic.Sim.Faults;

/// <summary>The faults the simulator can inject.</summary>
public static class FaultKinds
{
    /// <summary>A pod leaks memory until it is OOM-killed, again and again, until its pods are replaced.</summary>
    public const string MemoryLeak = "memory-leak";

    /// <summary>A deploy of a version that fails a fifth of its requests, until it is rolled back.</summary>
    public const string BadDeploy = "bad-deploy";

    /// <summary>A process outside Kubernetes saturates a node's CPU, slowing every pod on it, until they move.</summary>
    public const string NoisyNeighbour = "noisy-neighbour";

    /// <summary>A configuration change that makes a service five times slower, until it is rolled back.</summary>
    public const string BadConfig = "bad-config";

    /// <summary>A long-running transaction holds a lock in the database, slowing every query eightfold, until its sessions end.</summary>
    public const string DatabaseLock = "db-lock-contention";

    /// <summary>A third-party API a service calls fails half its requests for half an hour; nothing in the estate fixes it.</summary>
    public const string DependencyOutage = "dependency-outage";

    /// <summary>A service's TLS certificate expires: every call to it fails, until a new one is issued (a restart does not help).</summary>
    public const string CertificateExpiry = "certificate-expiry";

    /// <summary>A service leaks database connections until its pool is empty: requests wait and time out, until its pods are replaced.</summary>
    public const string ConnectionPoolExhaustion = "connection-pool-exhaustion";

    /// <summary>A database's volume fills up: writes fail, until space is freed.</summary>
    public const string DiskFull = "disk-full";

    /// <summary>The cache's process hangs: its hit ratio drops to nothing and its callers fall back to the database, until its pod is replaced.</summary>
    public const string CacheFailure = "cache-failure";

    /// <summary>
    /// A small slowdown of a much-called service (for ten minutes, at a busy hour) makes its callers
    /// time out and retry; the retries load it and the database behind it, and the storm outlives
    /// its cause: scaling the service does not end it, turning its callers' retries off does.
    /// </summary>
    public const string RetryStorm = "retry-storm";

    /// <summary>The link between the two zones drops packets: calls that cross it fail and wait, until the network heals (an hour).</summary>
    public const string PacketLoss = "packet-loss";

    /// <summary>The faults the demo injects, in order.</summary>
    public static readonly IReadOnlyList<string> Demo = [MemoryLeak, BadDeploy, NoisyNeighbour];

    /// <summary>Every fault the simulator knows.</summary>
    public static readonly IReadOnlyList<string> All = [.. Demo, BadConfig, DatabaseLock, DependencyOutage, CertificateExpiry, ConnectionPoolExhaustion, DiskFull, CacheFailure, RetryStorm, PacketLoss];
}
