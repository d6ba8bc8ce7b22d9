using Medic.Adapters.Ingest.Otlp;
using Medic.Core.Telemetry.Storage;
using Microsoft.Extensions.Hosting;

namespace Medic.Adapters.Ingest;

/// <summary>Drops samples past the retention, and the series left empty, every minute.</summary>
public sealed class SeriesRetentionService(SeriesStore store, SeriesResolver resolver, OtlpMetricsReader otlp, TimeProvider clock) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (store.Compact(clock.GetUtcNow().ToUnixTimeMilliseconds()) > 0)
            {
                resolver.Purge();
                otlp.Purge();
            }
        }
    }
}
