using Medic.Core.Playbooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Hosting;

/// <summary>
/// Keeps the playbooks in force in step with their source: loads them before anything else
/// starts, then reloads every interval. A rejected file keeps its last good version serving.
/// </summary>
public sealed partial class PlaybookReloader(IPlaybookSource source, PlaybookRepository repository, TimeProvider clock, PlaybookReloaderOptions options, ILogger<PlaybookReloader> logger) : BackgroundService
{
    /// <summary>Loads once; the host calls this before the stages start, so the first decision sees the playbooks.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Reads the source and applies it; returns what changed.</summary>
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        var result = repository.Apply(await source.ReadAsync(cancellationToken));
        if (result.Eventful)
        {
            LogReloaded(source.Description, repository.Revision, repository.Playbooks.Count, result.Added, result.Changed, result.Removed);
            foreach (var error in repository.Errors)
            {
                LogRejected(error);
            }
        }

        return result;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReloadAsync(stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Playbooks from {Source} at {Revision}: {Count} in force; added [{Added}], changed [{Changed}], removed [{Removed}]")]
    private partial void LogReloaded(string source, string revision, int count, IReadOnlyList<string> added, IReadOnlyList<string> changed, IReadOnlyList<string> removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playbook rejected: {Error}")]
    private partial void LogRejected(PlaybookError error);
}
