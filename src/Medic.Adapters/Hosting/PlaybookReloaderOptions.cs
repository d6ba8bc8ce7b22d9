namespace Medic.Adapters.Hosting;

/// <summary>How often playbooks are reloaded.</summary>
public sealed class PlaybookReloaderOptions
{
    /// <summary>Between two reloads; zero loads once at start. Default 30 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
