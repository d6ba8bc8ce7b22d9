using System.ComponentModel.DataAnnotations;

namespace Medic.Adapters.Bus;

/// <summary>Settings of the in-process bus.</summary>
public sealed class InProcessBusOptions
{
    /// <summary>
    /// Messages an inbox holds before publishers wait. Large enough to absorb a burst of scrapes,
    /// small enough that a stuck stage shows up as backpressure at the edge within seconds. Default 1024.
    /// </summary>
    [Range(1, 1_000_000)]
    public int InboxCapacity { get; set; } = 1024;
}
