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

    /// <summary>All of them, in the order the demo injects them.</summary>
    public static readonly IReadOnlyList<string> All = [MemoryLeak, BadDeploy, NoisyNeighbour];
}
