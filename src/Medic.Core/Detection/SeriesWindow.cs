namespace Medic.Core.Detection;

/// <summary>The rolling baseline of one series (see <see cref="RollingWindow"/>) and its anomaly state machine.</summary>
internal sealed class SeriesWindow(int capacity, MetricRule rule) : RollingWindow(capacity)
{
    /// <summary>How the series is judged.</summary>
    public MetricRule Rule { get; } = rule;

    public DateTimeOffset LastSeen { get; set; }

    public int AbnormalRun { get; set; }

    public int NormalRun { get; set; }

    public bool Firing { get; set; }

    /// <summary>The levels it held while normal, to tell a recovery from an anomaly.</summary>
    public LevelMemory Levels { get; } = new();
}
