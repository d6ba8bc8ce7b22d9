namespace Medic.Core.Detection;

/// <summary>Which deviations from normal count as anomalies for a metric.</summary>
public enum Direction
{
    /// <summary>Only values above normal (latency, errors, saturation).</summary>
    Up,

    /// <summary>Only values below normal (throughput, cache hit rate).</summary>
    Down,

    /// <summary>Either way.</summary>
    Both,
}
