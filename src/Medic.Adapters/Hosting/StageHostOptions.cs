namespace Medic.Adapters.Hosting;

/// <summary>Settings of the stage host.</summary>
public sealed class StageHostOptions
{
    /// <summary>
    /// On shutdown, how long a stage keeps handling what is already in its inbox; whatever is
    /// left after that is persisted and handled first on the next start. Default 5 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
