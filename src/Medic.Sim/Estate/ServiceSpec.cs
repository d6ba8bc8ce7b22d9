namespace Medic.Sim.Estate;

/// <summary>One service of the simulated estate.</summary>
/// <param name="Name">The service (and its Deployment or StatefulSet).</param>
/// <param name="Replicas">Pods it runs.</param>
/// <param name="Version">The version deployed at the start.</param>
/// <param name="LatencySeconds">Its own p99 latency at low load, without its callees.</param>
/// <param name="CpuPerRequest">CPU seconds per request.</param>
/// <param name="Stateful">Runs as a StatefulSet (a database, a cache).</param>
/// <param name="Tier">Its tier, for tags: <c>edge</c>, <c>core</c>, <c>data</c>.</param>
public sealed record ServiceSpec(
    string Name,
    int Replicas,
    string Version,
    double LatencySeconds,
    double CpuPerRequest,
    bool Stateful = false,
    string Tier = "core");
