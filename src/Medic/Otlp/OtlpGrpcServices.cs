using Google.Protobuf;
using Grpc.Core;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Logs;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Trace;

namespace Medic.Otlp;

/// <summary>OTLP/gRPC metrics export.</summary>
internal sealed class OtlpMetricsGrpc(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    public override async Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        ThrowWhenBusy(receiver);
        var (source, badTenant) = Apis.IngestSource.Of(context.RequestHeaders.GetValue(Apis.IngestSource.TenantHeader.ToLowerInvariant()), "otlp");
        if (badTenant is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, badTenant));
        }

        var result = await receiver.MetricsAsync(request.ToByteArray(), source, context.CancellationToken);
        if (result.Malformed is { } malformed)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"cannot read the export request: {malformed}"));
        }

        return new ExportMetricsServiceResponse { PartialSuccess = result.Rejected > 0 ? new ExportMetricsPartialSuccess { RejectedDataPoints = result.Rejected, ErrorMessage = result.Error ?? "" } : null };
    }

    /// <summary>RESOURCE_EXHAUSTED tells OTLP senders to retry later, as the specification says.</summary>
    internal static void ThrowWhenBusy(OtlpReceiver receiver)
    {
        if (receiver.Busy)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Medic is behind on the telemetry it has; retry shortly"));
        }
    }
}

/// <summary>OTLP/gRPC logs export.</summary>
internal sealed class OtlpLogsGrpc(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    public override async Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        OtlpMetricsGrpc.ThrowWhenBusy(receiver);
        var result = await receiver.LogsAsync(request.ResourceLogs, context.CancellationToken);
        return new ExportLogsServiceResponse { PartialSuccess = result.Rejected > 0 ? new ExportLogsPartialSuccess { RejectedLogRecords = result.Rejected, ErrorMessage = result.Error ?? "" } : null };
    }
}

/// <summary>OTLP/gRPC traces export.</summary>
internal sealed class OtlpTracesGrpc(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        OtlpMetricsGrpc.ThrowWhenBusy(receiver);
        var result = await receiver.TracesAsync(request.ResourceSpans, context.CancellationToken);
        return new ExportTraceServiceResponse { PartialSuccess = result.Rejected > 0 ? new ExportTracePartialSuccess { RejectedSpans = result.Rejected, ErrorMessage = result.Error ?? "" } : null };
    }
}
