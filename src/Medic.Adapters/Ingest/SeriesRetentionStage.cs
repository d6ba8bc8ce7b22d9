using Medic.Adapters.Ingest.Otlp;
using Medic.Core.Bus;
using Medic.Core.Stages;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest;

/// <summary>
/// Drops samples past the retention, and the series left empty, every minute. A stage of its own
/// (ticks only), so a compaction is work the bus knows of: a simulation waits for it like any other.
/// </summary>
public sealed class SeriesRetentionStage(SeriesStore store, SeriesResolver resolver, OtlpMetricsReader otlp) : ITimedStage
{
    /// <inheritdoc />
    public string Name => "retention";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (store.Compact(now.ToUnixTimeMilliseconds()) > 0)
        {
            resolver.Purge();
            otlp.Purge();
        }

        return ValueTask.CompletedTask;
    }
}
