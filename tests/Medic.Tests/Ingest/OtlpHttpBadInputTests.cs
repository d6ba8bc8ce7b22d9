using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Tests.Support;

namespace Medic.Tests.Ingest;

/// <summary>OTLP/HTTP in JSON, and the bodies that must be refused precisely.</summary>
public sealed class OtlpHttpBadInputTests : IAsyncLifetime
{
    private TestServer _medic = null!;

    public async Task InitializeAsync() => _medic = await TestServer.StartAsync(configure: o => o.Series = o.Series with { MaxSeries = 3 });

    public async Task DisposeAsync() => await _medic.DisposeAsync();

    [Fact]
    public async Task A_JSON_export_with_hex_ids_and_string_numbers_is_read_as_the_specification_writes_it()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        using var metrics = await PostJsonAsync("/v1/metrics", $$$"""
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
              "scopeMetrics":[{"metrics":[{"name":"cart.items","gauge":{"dataPoints":[{"timeUnixNano":"{{{now}}}","asInt":"12","attributes":[{"key":"region","value":{"stringValue":"eu"}}]}]}}]}]}]}
            """);
        using var traces = await PostJsonAsync("/v1/traces", $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
              "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,
                "startTimeUnixNano":"{{{now}}}","endTimeUnixNano":"{{{now + 5_000_000}}}"}]}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("application/json", metrics.Content.Headers.ContentType?.MediaType);
        var series = (await _medic.Http.GetFromJsonAsync<JsonObject>("/api/v1/samples?match=cart_items"))!["series"]![0]!;
        Assert.Equal(("12", "eu", "cart"), (series["samples"]![0]![1]!.GetValue<string>(), series["labels"]!["region"]!.GetValue<string>(), series["labels"]!["service"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, traces.StatusCode);
        var trace = await _medic.GetJsonAsync("/api/v1/traces/5b8efff798038103d269b633813fc60c");
        Assert.Equal("eee19b7ec3c1b174", trace["spans"]![0]!["span_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refused_points_are_a_partial_success_that_says_why()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        var points = string.Join(",", Enumerable.Range(0, 5).Select(i => $$$"""{"timeUnixNano":"{{{now}}}","asDouble":{{{i}}},"attributes":[{"key":"i","value":{"intValue":"{{{i}}}"}}]}"""));
        using var response = await PostJsonAsync("/v1/metrics", $$$"""
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"wide","gauge":{"dataPoints":[{{{points}}}]}}]}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partial = (await response.Content.ReadFromJsonAsync<JsonObject>())!["partialSuccess"]!;
        Assert.Equal("2", partial["rejectedDataPoints"]!.ToString());
        Assert.StartsWith("new series refused: Medic holds its limit of 3 series (series.max_series)", partial["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_protobuf_is_400_with_a_status_body()
    {
        var request = new Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics.ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(new Medic.Adapters.Ingest.Otlp.Proto.Metrics.ResourceMetrics { SchemaUrl = "https://opentelemetry.io/schemas/1.21.0" });
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(request);
        var content = new ByteArrayContent(bytes[..^4]);
        content.Headers.ContentType = new("application/x-protobuf");

        using var response = await _medic.Http.PostAsync("/v1/metrics", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = Medic.Adapters.Ingest.Otlp.Proto.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("cannot read the protobuf export request", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_content_type_is_415_and_a_gzip_bomb_is_413()
    {
        using var text = await _medic.Http.PostAsync("/v1/logs", new StringContent("hello", Encoding.UTF8, "text/plain"));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 100; i++)
            {
                gzip.Write(zeros);
            }
        }

        var bomb = new ByteArrayContent(buffer.ToArray());
        bomb.Headers.ContentType = new("application/json");
        bomb.Headers.ContentEncoding.Add("gzip");
        using var inflated = await _medic.Http.PostAsync("/v1/logs", bomb);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, inflated.StatusCode);
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await _medic.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
