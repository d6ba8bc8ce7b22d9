using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Logs;
using Medic.Core.Telemetry;
using Medic.Core.Traces;

namespace Medic.SimWire;

/// <summary>
/// The simulator's way out over the wire: every scrape goes to a Medic server as a Prometheus
/// remote_write request (snappy-compressed protobuf WriteRequest), every change as a
/// <c>POST /api/v1/changes</c>, the spans of traced requests as OTLP/HTTP protobuf to <c>/v1/traces</c>,
/// log lines as OTLP/HTTP protobuf to <c>/v1/logs</c>. Kubernetes events stay behind: a server learns those by watching
/// its cluster. A refused request (4xx) is an error; 429 and 5xx are retried, as Prometheus does.
/// </summary>
internal sealed class WireBus(HttpClient http) : IBus
{
    /// <summary>Samples the server accepted.</summary>
    public long Samples { get; private set; }

    /// <summary>Spans the server accepted.</summary>
    public long Spans { get; private set; }

    /// <summary>Log lines the server accepted.</summary>
    public long Logs { get; private set; }

    /// <summary>Changes the server recorded.</summary>
    public int Changes { get; private set; }

    /// <summary>Messages that have no wire format here (Kubernetes events).</summary>
    public int Skipped { get; private set; }

    public async ValueTask PublishAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class, IMessage
    {
        switch (message)
        {
            case SampleBatch batch:
                await SendAsync(() => RemoteWrite(batch.Samples), "/api/v1/write", cancellationToken);
                Samples += batch.Samples.Count;
                break;
            case ChangeEvent change:
                await SendAsync(() => JsonContent.Create(Change(change)), "/api/v1/changes", cancellationToken);
                Changes++;
                break;
            case SpanBatch spans:
                await SendAsync(() => Traces(spans.Spans), "/v1/traces", cancellationToken);
                Spans += spans.Spans.Count;
                break;
            case LogBatch logs:
                await SendAsync(() => Protobuf(OtlpLogRecords.Request(logs.Records)), "/v1/logs", cancellationToken);
                Logs += logs.Records.Count;
                break;
            default:
                Skipped++;
                break;
        }
    }

    public IInbox Subscribe(string subscriber, IReadOnlyCollection<Type> topics) =>
        throw new NotSupportedException("the wire bus only sends: the stages that read run in the Medic it sends to");

    private async Task SendAsync(Func<HttpContent> content, string path, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var body = content();
            using var response = await http.PostAsync(path, body, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var retryable = (int)response.StatusCode is 429 or >= 500;
            if (!retryable || attempt == 5)
            {
                throw new HttpRequestException($"{http.BaseAddress}{path[1..]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
        }
    }

    private static ByteArrayContent Traces(IReadOnlyList<SpanRecord> spans) => Protobuf(OtlpSpans.Request(spans));

    private static ByteArrayContent Protobuf(Google.Protobuf.IMessage message)
    {
        var content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static JsonObject Change(ChangeEvent change) => new()
    {
        ["service"] = change.Service,
        ["kind"] = change.Kind,
        ["version"] = change.Version,
        ["previous_version"] = change.PreviousVersion,
        ["author"] = change.Actor,
        ["time"] = change.At.ToString("O", CultureInfo.InvariantCulture),
        ["namespace"] = change.Namespace,
        ["description"] = change.Description,
    };

    /// <summary>A WriteRequest (1 timeseries { 1 labels { 1 name, 2 value }, 2 samples { 1 value, 2 timestamp } }), snappy-compressed.</summary>
    private static ByteArrayContent RemoteWrite(IReadOnlyList<Sample> samples)
    {
        var request = new ArrayBufferWriter<byte>();
        foreach (var sample in samples)
        {
            var series = new ArrayBufferWriter<byte>();
            Label(series, "__name__", sample.Series.Name);
            foreach (var (name, value) in sample.Series.Labels)
            {
                Label(series, name, value);
            }

            var point = new ArrayBufferWriter<byte>();
            ProtoWriter.Tag(point, 1, 1);
            BitConverter.TryWriteBytes(point.GetSpan(8), sample.Value);
            point.Advance(8);
            ProtoWriter.Tag(point, 2, 0);
            ProtoWriter.Varint(point, (ulong)sample.Timestamp.ToUnixTimeMilliseconds());
            ProtoWriter.Bytes(series, 2, point.WrittenSpan);
            ProtoWriter.Bytes(request, 1, series.WrittenSpan);
        }

        var content = new ByteArrayContent(Snappier.Snappy.CompressToArray(request.WrittenSpan));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        content.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        return content;
    }

    private static void Label(ArrayBufferWriter<byte> series, string name, string value)
    {
        var label = new ArrayBufferWriter<byte>();
        ProtoWriter.Bytes(label, 1, Encoding.UTF8.GetBytes(name));
        ProtoWriter.Bytes(label, 2, Encoding.UTF8.GetBytes(value));
        ProtoWriter.Bytes(series, 1, label.WrittenSpan);
    }
}
