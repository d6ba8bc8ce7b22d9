namespace Medic.Core.Detection.Streaming;

/// <summary>How a group of series is modelled and judged by the streaming detector.</summary>
public sealed record StreamingOptions
{
    /// <summary>Values in one season (e.g. 288 for a day at 5-minute steps); 1 for no season.</summary>
    public int Period { get; init; } = 288;

    /// <summary>Holt-Winters smoothing of the level.</summary>
    public double Alpha { get; init; } = 0.02;

    /// <summary>Smoothing of the trend.</summary>
    public double Beta { get; init; } = 0.01;

    /// <summary>Smoothing of the season.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Damping of the trend (1: none).</summary>
    public double Phi { get; init; } = 0.98;

    /// <summary>Robust standard deviations of the residual at which a value is abnormal (lower is more sensitive).</summary>
    public double Sensitivity { get; init; } = 4.0;

    /// <summary>Abnormal values (without a calm of <see cref="RecoveryDuration"/> between them) before a signal opens, so a single blip is not an incident.</summary>
    public int MinimumDuration { get; init; } = 3;

    /// <summary>Normal values in a row that end an abnormal run and close its signal, so a flapping series opens one signal, not fifty.</summary>
    public int RecoveryDuration { get; init; } = 10;

    /// <summary>Values seen before a series is judged: two seasons, to learn one.</summary>
    public int WarmUp => Math.Max(2 * Period, 20);
}
