namespace Medic.Sim.Telemetry;

/// <summary>What the simulator tracks of a running pod beyond its Kubernetes object.</summary>
internal sealed class PodRuntime
{
    /// <summary>Memory leaked so far by the current container.</summary>
    public double LeakedBytes { get; set; }

    /// <summary>Memory leaked per tick (0: no leak). Survives container restarts: the pod keeps the bad state.</summary>
    public double LeakBytesPerTick { get; set; }

    /// <summary>Ticks until the restarted container is ready again.</summary>
    public int RestartingTicks { get; set; }

    /// <summary>The process crashed and hangs without exiting: the pod stays unready until it is replaced.</summary>
    public bool Crashed { get; set; }

    public bool Ready => RestartingTicks == 0 && !Crashed;
}
