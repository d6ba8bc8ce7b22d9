using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Logs;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Trace;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.Otlp;
using Medic.Adapters.Ingest.Otlp.Proto.Logs;
using Medic.Adapters.Ingest.Otlp.Proto.Trace;
using Medic.Core.Bus;
using Medic.Core.Logs;
using Medic.Core.Telemetry;
using Medic.Core.Traces;

namespace Medic.Otlp;

/// <summary>What OTLP/HTTP and OTLP/gRPC share: turning an export into series, log records and spans, and the backpressure check.</summary>
internal sealed class OtlpReceiver(OtlpMetricsReader metrics, SpanStore spans, IBus bus, IBusMonitor monitor, IngestLimits limits, TimeProvider clock)
{
    /// <summary>Whether senders should back off and retry (429 / RESOURCE_EXHAUSTED).</summary>
    public bool Busy => monitor.InFlight > limits.MaxBatchesInFlight;

    /// <summary>An <c>ExportMetricsServiceRequest</c>, from its protobuf bytes; new series count against <paramref name="source"/>.</summary>
    public async Task<OtlpResult> MetricsAsync(ReadOnlyMemory<byte> request, string source, CancellationToken cancellationToken)
    {
        var collected = new List<Sample>();
        var result = metrics.Read(request.Span, collected, source);
        if (collected.Count > 0)
        {
            await bus.PublishAsync(new SampleBatch(collected), cancellationToken);
        }

        return result;
    }

    /// <summary>An <c>ExportLogsServiceRequest</c>, from its protobuf bytes.</summary>
    public Task<OtlpResult> LogsAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        TryParse(ExportLogsServiceRequest.Parser, request, out var export, out var malformed) ? LogsAsync(export.ResourceLogs, cancellationToken) : Task.FromResult(malformed);

    /// <summary>An <c>ExportTraceServiceRequest</c>, from its protobuf bytes.</summary>
    public Task<OtlpResult> TracesAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        TryParse(ExportTraceServiceRequest.Parser, request, out var export, out var malformed) ? TracesAsync(export.ResourceSpans, cancellationToken) : Task.FromResult(malformed);

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

    private static bool TryParse<T>(MessageParser<T> parser, ReadOnlyMemory<byte> bytes, [NotNullWhen(true)] out T? message, out OtlpResult malformed)
        where T : IMessage<T>
    {
        try
        {
            (message, malformed) = (parser.ParseFrom(bytes.Span), new OtlpResult(0, 0, null));
            return true;
        }
        catch (InvalidProtocolBufferException e)
        {
            (message, malformed) = (default, new OtlpResult(0, 0, null) { Malformed = e.Message });
            return false;
        }
    }
}
