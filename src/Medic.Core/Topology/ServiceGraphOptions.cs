namespace Medic.Core.Topology;

/// <summary>Settings of the service graph built from spans.</summary>
public sealed class ServiceGraphOptions
{
    /// <summary>An edge, node or pod not seen for this long (of span time) is gone. Default 10 minutes.</summary>
    public TimeSpan EdgeTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a client span waits for the server span of the same call (they come from different processes). Default 30 seconds.</summary>
    public TimeSpan PairWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The span of time an edge's rate, error rate and percentiles are measured over. Default 5 minutes.</summary>
    public TimeSpan StatsWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Unpaired spans held at most; beyond it new ones are counted as dropped. Default 100,000.</summary>
    public int MaxPending { get; set; } = 100_000;
}
