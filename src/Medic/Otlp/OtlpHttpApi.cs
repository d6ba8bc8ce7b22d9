using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Medic.Adapters.Ingest;
using Medic.Apis;
using Medic.Adapters.Ingest.Otlp;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Logs;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Trace;
using RpcStatus = Medic.Adapters.Ingest.Otlp.Proto.Rpc.Status;

namespace Medic.Otlp;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/metrics</c>, <c>/v1/logs</c>, <c>/v1/traces</c>, in binary protobuf
/// (<c>application/x-protobuf</c>) or JSON (<c>application/json</c>, with trace and span ids in hex
/// as the OTLP JSON encoding writes them), optionally gzip-compressed. Answers as the
/// specification says: 200 with the export response (a partial success names what was left out),
/// 400 with a <c>google.rpc.Status</c> for a body that cannot be read, 429 with Retry-After when
/// Medic is behind, 413 and 415 for size and type.
/// </summary>
internal static class OtlpHttpApi
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal) { "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id" };

    public static IEndpointRouteBuilder MapOtlpHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/metrics", (HttpContext c, OtlpReceiver r, IngestLimits l, CancellationToken ct) => ExportAsync(
            c, r, l, ExportMetricsServiceRequest.Parser, r.MetricsAsync,
            result => new ExportMetricsServiceResponse { PartialSuccess = result.Rejected > 0 ? new() { RejectedDataPoints = result.Rejected, ErrorMessage = result.Error ?? "" } : null }, ct));
        app.MapPost("/v1/logs", (HttpContext c, OtlpReceiver r, IngestLimits l, CancellationToken ct) => ExportAsync(
            c, r, l, ExportLogsServiceRequest.Parser, (bytes, _, token) => r.LogsAsync(bytes, token),
            result => new ExportLogsServiceResponse { PartialSuccess = result.Rejected > 0 ? new() { RejectedLogRecords = result.Rejected, ErrorMessage = result.Error ?? "" } : null }, ct));
        app.MapPost("/v1/traces", (HttpContext c, OtlpReceiver r, IngestLimits l, CancellationToken ct) => ExportAsync(
            c, r, l, ExportTraceServiceRequest.Parser, (bytes, _, token) => r.TracesAsync(bytes, token),
            result => new ExportTraceServiceResponse { PartialSuccess = result.Rejected > 0 ? new() { RejectedSpans = result.Rejected, ErrorMessage = result.Error ?? "" } : null }, ct));
        return app;
    }

    private static async Task<IResult> ExportAsync<TRequest, TResponse>(
        HttpContext context,
        OtlpReceiver receiver,
        IngestLimits limits,
        MessageParser<TRequest> parser,
        Func<ReadOnlyMemory<byte>, string, CancellationToken, Task<OtlpResult>> accept,
        Func<OtlpResult, TResponse> respond,
        CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        var type = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var json = type == "application/json";
        if (type != "application/x-protobuf" && !json)
        {
            return Status(StatusCodes.Status415UnsupportedMediaType, "OTLP/HTTP bodies are application/x-protobuf or application/json", json);
        }

        var (source, badTenant) = IngestSource.Of(context.Request.Headers[IngestSource.TenantHeader], "otlp");
        if (badTenant is not null)
        {
            return Status(StatusCodes.Status400BadRequest, badTenant, json);
        }

        if (receiver.Busy)
        {
            context.Response.Headers.RetryAfter = "1";
            await IngestBody.DiscardAsync(context, limits, cancellationToken);
            return Status(StatusCodes.Status429TooManyRequests, "Medic is behind on the telemetry it has; retry shortly", json);
        }

        var body = await IngestBody.ReadInflatedAsync(context, limits, cancellationToken);
        OtlpResult result;
        try
        {
            if (body.Problem is { } problem)
            {
                return problem;
            }

            // JSON goes through the generated message; protobuf is read straight from its bytes.
            var protobuf = body.Memory;
            if (json)
            {
                try
                {
                    protobuf = Json.Parse<TRequest>(HexIdsToBase64(Encoding.UTF8.GetString(body.Memory.Span))).ToByteArray();
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or System.Text.Json.JsonException or FormatException)
                {
                    return Status(StatusCodes.Status400BadRequest, $"cannot read the JSON export request: {e.Message}", json);
                }
            }

            result = await accept(protobuf, source, cancellationToken);
        }
        finally
        {
            body.Return();
        }

        if (result.Malformed is { } malformed)
        {
            return Status(StatusCodes.Status400BadRequest, $"cannot read the {(json ? "JSON" : "protobuf")} export request: {malformed}", json);
        }

        var response = respond(result);
        return json
            ? Results.Text(JsonFormatter.Default.Format(response), "application/json", Encoding.UTF8)
            : Results.Bytes(response.ToByteArray(), "application/x-protobuf");
    }

    /// <summary>The OTLP JSON encoding writes ids in hex; the protobuf JSON mapping expects base64.</summary>
    private static string HexIdsToBase64(string text)
    {
        var root = JsonNode.Parse(text);
        Convert(root);
        return root?.ToJsonString() ?? "{}";

        static void Convert(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, value) in o.ToList())
                    {
                        if (IdFields.Contains(name) && value is JsonValue v && v.TryGetValue<string>(out var hex) && hex.Length > 0 && hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit))
                        {
                            o[name] = System.Convert.ToBase64String(System.Convert.FromHexString(hex));
                        }
                        else
                        {
                            Convert(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Convert(item);
                    }

                    break;
            }
        }
    }

    /// <summary>An error body as OTLP/HTTP prescribes: a google.rpc.Status in the request's encoding.</summary>
    private static IResult Status(int code, string message, bool json)
    {
        var status = new RpcStatus { Code = code, Message = message };
        return json
            ? Results.Text(JsonFormatter.Default.Format(status), "application/json", Encoding.UTF8, code)
            : new Protobuf(status.ToByteArray(), code);
    }

    /// <summary>A protobuf body with a status code.</summary>
    private sealed class Protobuf(byte[] body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/x-protobuf";
            await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
