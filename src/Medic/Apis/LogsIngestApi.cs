using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medic.Adapters.Ingest;
using Medic.Core.Bus;
using Medic.Core.Logs;

namespace Medic.Apis;

/// <summary>
/// Logs from log shippers: <c>POST /api/v1/logs</c> takes a JSON array or JSON lines (what the
/// http outputs of Fluent Bit, Fluentd and Logstash send), <c>POST /loki/api/v1/push</c> takes
/// Loki's push body in JSON. Bodies may be gzip-compressed. Records become a <see cref="LogBatch"/>;
/// a record without a message or a service is refused by index, the others are accepted.
/// </summary>
internal static class LogsIngestApi
{
    private static readonly string[] TimeFields = ["time", "timestamp", "@timestamp", "date", "ts"];
    private static readonly string[] MessageFields = ["message", "msg", "log", "MESSAGE"];
    private static readonly string[] LevelFields = ["level", "severity", "lvl", "log.level"];
    private static readonly string[] ServiceFields = ["service", "service.name", "service_name", "app", "kubernetes.labels.app", "kubernetes.labels.app.kubernetes.io/name", "kubernetes.container_name", "container_name", "job"];
    private static readonly string[] SessionFields = ["session", "trace_id", "traceId", "request_id"];
    private static readonly string[] NamespaceFields = ["namespace", "kubernetes.namespace_name", "k8s.namespace.name"];

    public static IEndpointRouteBuilder MapLogsIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/logs", ShippersAsync);
        app.MapPost("/loki/api/v1/push", LokiAsync);
        return app;
    }

    private static async Task<IResult> ShippersAsync(HttpContext context, IBus bus, IngestLimits limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (text, problem) = await ReadTextAsync(context, limits, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        List<JsonNode?> items;
        try
        {
            items = text!.TrimStart().StartsWith('[')
                ? [.. JsonNode.Parse(text)!.AsArray()]
                : [.. text.Split('\n').Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l))];
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"not JSON (an array of records, or one record per line): {e.Message}");
        }

        var records = new List<LogRecord>();
        var refused = new List<string>();
        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            if (Record(item as JsonObject, clock) is { } record)
            {
                records.Add(record);
            }
            else
            {
                refused.Add($"record {index}: needs a message ({string.Join(", ", MessageFields)}) and a service ({string.Join(", ", ServiceFields.Take(5))}, ...)");
            }
        }

        return await PublishAsync(bus, records, refused, cancellationToken);
    }

    private static async Task<IResult> LokiAsync(HttpContext context, IBus bus, IngestLimits limits, CancellationToken cancellationToken)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return TypedResults.Problem("Medic takes Loki's push API in JSON: send Content-Type: application/json (the protobuf form is not accepted)", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var (text, problem) = await ReadTextAsync(context, limits, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        JsonArray? streams;
        try
        {
            streams = JsonNode.Parse(text!)?["streams"] as JsonArray;
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"not a Loki push body: {e.Message}");
        }

        if (streams is null)
        {
            return Problems.BadRequest("not a Loki push body: {\"streams\": [{\"stream\": {labels}, \"values\": [[\"<unix ns>\", \"line\"]]}]} expected");
        }

        var records = new List<LogRecord>();
        var refused = new List<string>();
        foreach (var (stream, index) in streams.Select((s, i) => (s as JsonObject, i)))
        {
            var labels = stream?["stream"] as JsonObject;
            var service = First(labels, ServiceFields);
            if (service is null || stream?["values"] is not JsonArray values)
            {
                refused.Add($"streams[{index}]: needs a service label ({string.Join(", ", ServiceFields.Take(5))}, ...) and values");
                continue;
            }

            foreach (var value in values.OfType<JsonArray>())
            {
                if (value.Count >= 2 && long.TryParse(value[0]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds) && value[1]?.ToString() is { } line)
                {
                    records.Add(new LogRecord(DateTimeOffset.FromUnixTimeMilliseconds(nanoseconds / 1_000_000), service, line)
                    {
                        Level = First(labels, ["level", "detected_level", "severity"]),
                        Namespace = First(labels, NamespaceFields),
                    });
                }
                else
                {
                    refused.Add($"streams[{index}]: an entry is not [\"<unix nanoseconds>\", \"line\"]");
                }
            }
        }

        return await PublishAsync(bus, records, refused, cancellationToken, loki: true);
    }

    private static async Task<IResult> PublishAsync(IBus bus, List<LogRecord> records, List<string> refused, CancellationToken cancellationToken, bool loki = false)
    {
        if (records.Count == 0 && refused.Count > 0)
        {
            return Problems.BadRequest(string.Join("; ", refused.Take(10)));
        }

        if (records.Count > 0)
        {
            await bus.PublishAsync(new LogBatch(records), cancellationToken);
        }

        // Loki's clients expect 204; the shippers take any 2xx and can log the details.
        return loki && refused.Count == 0 ? Results.NoContent() : TypedResults.Ok(new { accepted = records.Count, refused });
    }

    private static LogRecord? Record(JsonObject? item, TimeProvider clock)
    {
        if (item is null || First(item, MessageFields) is not { } message || First(item, ServiceFields) is not { } service)
        {
            return null;
        }

        return new LogRecord(TimeOf(First(item, TimeFields)) ?? clock.GetUtcNow(), service, message.TrimEnd('\n'))
        {
            Level = First(item, LevelFields),
            Session = First(item, SessionFields),
            Namespace = First(item, NamespaceFields),
        };
    }

    /// <summary>The first field present, by name or by a dotted path into nested objects (keys may hold dots too).</summary>
    private static string? First(JsonObject? item, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (Resolve(item, name) is JsonValue value && value.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private static JsonNode? Resolve(JsonObject? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node.TryGetPropertyValue(path, out var direct))
        {
            return direct;
        }

        for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = path.IndexOf('.', dot + 1))
        {
            if (node[path[..dot]] is JsonObject child && Resolve(child, path[(dot + 1)..]) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static DateTimeOffset? TimeOf(string? text) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number > 1e17 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(number / 1e6)) : number > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)number) : DateTimeOffset.FromUnixTimeMilliseconds((long)(number * 1000))
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>The body as text, gunzipped when it says so, within the ingest limits.</summary>
    private static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext context, IngestLimits limits, CancellationToken cancellationToken)
    {
        var body = await IngestBody.ReadInflatedAsync(context, limits, cancellationToken);
        try
        {
            return body.Problem is { } problem ? (null, problem) : (Encoding.UTF8.GetString(body.Memory.Span), null);
        }
        finally
        {
            body.Return();
        }
    }
}
