namespace Medic.Sim;

/// <summary>Settings of the simulator.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seeds every random choice and all noise: the same seed gives the same run. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated time between two scrapes. Default 10 seconds.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Harmless deploys and configuration changes a simulated day (good versions, rolled out as
    /// usual), so that a change before an incident is not proof of its cause. Default 0.
    /// </summary>
    public double HarmlessChangesPerDay { get; set; }

    /// <summary>Harmless traffic spikes (a third more traffic for five minutes) a simulated day. Default 0.</summary>
    public double TrafficSpikesPerDay { get; set; }

    /// <summary>The share of requests entering the estate that are traced, every span of them sent. Default 0: no traces.</summary>
    public double TraceSampling { get; set; }

    /// <summary>
    /// Log lines written, as a share of requests (a service writes about one line a request: 0.01 sends
    /// one in a hundred). Default 0: no logs.
    /// </summary>
    public double LogSampling { get; set; }
}
