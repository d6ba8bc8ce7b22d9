using Google.Protobuf.Collections;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.Otlp;
using Medic.Adapters.Ingest.Otlp.Proto.Logs;
using Medic.Adapters.Ingest.Otlp.Proto.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Trace;
using Medic.Core.Bus;
using Medic.Core.Logs;
using Medic.Core.Telemetry;
using Medic.Core.Traces;

namespace Medic.Otlp;

/// <summary>What OTLP/HTTP and OTLP/gRPC share: turning an export into series, log records and spans, and the backpressure check.</summary>
internal sealed class OtlpReceiver(OtlpMetrics metrics, SpanStore spans, IBus bus, IBusMonitor monitor, IngestLimits limits, TimeProvider clock)
{
    /// <summary>Whether senders should back off and retry (429 / RESOURCE_EXHAUSTED).</summary>
    public bool Busy => monitor.InFlight > limits.MaxBatchesInFlight;

    public async Task<OtlpResult> MetricsAsync(RepeatedField<ResourceMetrics> resources, CancellationToken cancellationToken)
    {
        var collected = new List<Sample>();
        var result = metrics.Accept(resources, collected);
        if (collected.Count > 0)
        {
            await bus.PublishAsync(new SampleBatch(collected), cancellationToken);
        }

        return result;
    }

    public async Task<OtlpResult> LogsAsync(RepeatedField<ResourceLogs> resources, CancellationToken cancellationToken)
    {
        var (records, rejected) = OtlpLogs.Convert(resources, clock.GetUtcNow());
        if (records.Count > 0)
        {
            await bus.PublishAsync(new LogBatch(records), cancellationToken);
        }

        return new OtlpResult(records.Count, rejected, rejected > 0 ? "log records without a body were left out" : null);
    }

    public async Task<OtlpResult> TracesAsync(RepeatedField<ResourceSpans> resources, CancellationToken cancellationToken)
    {
        var (records, rejected) = OtlpTraces.Convert(resources);
        if (records.Count > 0)
        {
            spans.Add(records);
            await bus.PublishAsync(new SpanBatch(records), cancellationToken);
        }

        return new OtlpResult(records.Count, rejected, rejected > 0 ? "spans without a 16-byte trace id, an 8-byte span id or valid times were left out" : null);
    }
}
