namespace Medic.Sim;

/// <summary>Settings of the simulator.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seeds every random choice and all noise: the same seed gives the same run. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated time between two scrapes. Default 10 seconds.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(10);
}
