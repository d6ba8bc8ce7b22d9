namespace Medic.Core.Verification;

/// <summary>Settings of the verification stage.</summary>
public sealed class VerificationOptions
{
    /// <summary>The service-level metrics whose return to baseline means "recovered". Default: p99 latency and error ratio.</summary>
    public IReadOnlyList<string> SloMetrics { get; set; } = ["service_latency_p99_seconds", "service_error_ratio"];

    /// <summary>How long to watch after a run before calling it not recovered. Default 10 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The least time to watch, so a recurrence can show: a leaking pod is OOM-killed again within minutes, and SLOs that look fine in between are no fix. Default 8 minutes.</summary>
    public TimeSpan MinObservation { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Consecutive healthy samples every SLO series needs. Default 3.</summary>
    public int HealthySamples { get; set; } = 3;

    /// <summary>The stretch before the incident that defines normal. Default 30 minutes.</summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far above the baseline median still counts as healthy, in robust standard deviations. Default 4.</summary>
    public double ToleranceSigmas { get; set; } = 4;

    /// <summary>The least tolerance, as a fraction of the baseline median (noise-free series need some). Default 0.25.</summary>
    public double MinRelativeTolerance { get; set; } = 0.25;

    /// <summary>How much history to keep per SLO series. Default 2 hours.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromHours(2);
}
