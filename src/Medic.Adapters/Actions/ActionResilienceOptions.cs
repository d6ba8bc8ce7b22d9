namespace Medic.Adapters.Actions;

/// <summary>Circuit breakers and bulkheads per action provider and target.</summary>
public sealed class ActionResilienceOptions
{
    /// <summary>Actions on one target at once; more wait in a short queue, then are refused. Default 4.</summary>
    public int MaxConcurrentPerTarget { get; set; } = 4;

    /// <summary>Actions waiting for a slot on one target. Default 8.</summary>
    public int QueuePerTarget { get; set; } = 8;

    /// <summary>Share of retryable failures in <see cref="SamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the window before the circuit can open. Default 4.</summary>
    public int MinimumThroughput { get; set; } = 4;

    /// <summary>The window failures are counted in. Default 2 minutes.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an open circuit refuses calls before trying one again. Default 1 minute.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}
