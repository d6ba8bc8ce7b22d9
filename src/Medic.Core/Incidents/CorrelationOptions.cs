namespace Medic.Core.Incidents;

/// <summary>Settings of the correlation stage.</summary>
public sealed class CorrelationOptions
{
    /// <summary>
    /// A signal joins an active, related incident whose newest signal is at most this old;
    /// otherwise it opens a new incident. Default 15 minutes.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
