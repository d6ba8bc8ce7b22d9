using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Core.Logs.Mining;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Medic.Tests.Ingest;

/// <summary>
/// The OpenTelemetry .NET SDK's own OTLP exporter, over HTTP/protobuf and over gRPC, sends metrics,
/// logs and traces into a running Medic; what was sent is then queryable, values and labels intact.
/// </summary>
public sealed class OtlpExporterTests : IAsyncLifetime
{
    private readonly int _grpcPort = ServerProcess.FreePort();
    private TestServer _medic = null!;

    public async Task InitializeAsync() => _medic = await TestServer.StartAsync(configure: o => o.OtlpGrpcUrl = $"http://127.0.0.1:{_grpcPort}");

    public async Task DisposeAsync() => await _medic.DisposeAsync();

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task Metrics_arrive_as_series_with_rates_and_quantiles(OtlpExportProtocol protocol)
    {
        var service = $"checkout-{protocol}".ToLowerInvariant();
        using var meter = new Meter($"medic.test.{protocol}");
        var orders = meter.CreateCounter<long>("shop.orders");
        var latency = meter.CreateHistogram<double>("http.server.duration", "ms");
        meter.CreateObservableGauge("queue.depth", () => 7.0);
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(service).AddAttributes([new("k8s.namespace.name", "shop"), new("k8s.pod.name", "checkout-7d9f-x2x9z")]))
            .AddMeter(meter.Name)
            .AddOtlpExporter(exporter => Configure(exporter, protocol, "metrics"))
            .Build())
        {
            orders.Add(5, new KeyValuePair<string, object?>("status", "ok"));
            foreach (var ms in new[] { 10.0, 20, 30, 40, 300 })
            {
                latency.Record(ms, new KeyValuePair<string, object?>("http.route", "/pay"));
            }

            Assert.True(provider.ForceFlush(30_000));
            orders.Add(3, new KeyValuePair<string, object?>("status", "ok"));
            await Task.Delay(1_100);
            Assert.True(provider.ForceFlush(30_000));
        }

        var depth = One(await SeriesAsync($"queue_depth{{service=\"{service}\"}}"));
        Assert.Equal("7", depth["samples"]![0]![1]!.GetValue<string>());
        Assert.Equal(("shop", "checkout-7d9f-x2x9z"), (depth["labels"]!["namespace"]!.GetValue<string>(), depth["labels"]!["pod"]!.GetValue<string>()));

        var total = One(await SeriesAsync($"shop_orders{{service=\"{service}\",status=\"ok\"}}"));
        Assert.Equal(["5", "8"], total["samples"]!.AsArray().Select(s => s![1]!.GetValue<string>()).Take(2));
        var rate = One(await SeriesAsync($"shop_orders:rate{{service=\"{service}\"}}"));
        Assert.InRange(double.Parse(rate["samples"]![0]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), 0.1, 10);

        var count = One(await SeriesAsync($"http_server_duration_count{{service=\"{service}\",http_route=\"/pay\"}}"));
        Assert.Equal("5", count["samples"]![0]![1]!.GetValue<string>());
        var p50 = One(await SeriesAsync($"http_server_duration:p50{{service=\"{service}\"}}"));
        Assert.InRange(double.Parse(p50["samples"]![0]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), 10, 50);
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task Traces_arrive_with_their_tree_kinds_and_peers(OtlpExportProtocol protocol)
    {
        var service = $"frontend-{protocol}".ToLowerInvariant();
        using var source = new ActivitySource($"medic.test.{protocol}");
        string traceId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(service))
            .AddSource(source.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(exporter => Configure(exporter, protocol, "traces"))
            .Build())
        {
            using (var server = source.StartActivity("GET /checkout", ActivityKind.Server)!)
            {
                traceId = server.TraceId.ToHexString();
                using var client = source.StartActivity("POST /pay", ActivityKind.Client)!;
                client.SetTag("peer.service", "payment");
                client.SetStatus(ActivityStatusCode.Error);
            }

            Assert.True(provider.ForceFlush(30_000));
        }

        var trace = await WaitAsync(async () =>
        {
            using var response = await _medic.Http.GetAsync($"/api/v1/traces/{traceId}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        });
        var spans = trace["spans"]!.AsArray();
        Assert.Equal(2, spans.Count);
        var (parent, child) = (spans[0]!, spans[1]!);
        Assert.Equal(("server", service, ""), (parent["kind"]!.GetValue<string>(), parent["service"]!.GetValue<string>(), parent["parent_span_id"]!.GetValue<string>()));
        Assert.Equal(("client", parent["span_id"]!.GetValue<string>(), true), (child["kind"]!.GetValue<string>(), child["parent_span_id"]!.GetValue<string>(), child["error"]!.GetValue<bool>()));
        Assert.Equal("payment", child["attributes"]!["peer.service"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.Grpc)]
    public async Task Logs_arrive_and_are_mined_into_templates(OtlpExportProtocol protocol)
    {
        var service = $"payment-{protocol}".ToLowerInvariant();
        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel =>
        {
            otel.IncludeFormattedMessage = true;
            otel.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(service));
            otel.AddOtlpExporter(exporter => Configure(exporter, protocol, "logs"));
        })))
        {
            var logger = factory.CreateLogger("payments");
            foreach (var id in new[] { 17, 42, 99 })
            {
#pragma warning disable CA1848, CA2254 // A plain log call, as applications write them.
                logger.LogError("card of order {Order} declined by issuer", id);
#pragma warning restore CA1848, CA2254
            }
        }

        var miner = _medic.App.Services.GetRequiredService<TemplateMiner>();
        var templates = await WaitAsync(() => Task.FromResult(miner.Templates(service) is { Count: > 0 } t && t.Sum(x => x.Count) == 3 ? new JsonObject { ["text"] = t[0].Text } : null));
        Assert.Equal("card of order <*> declined by issuer", templates["text"]!.GetValue<string>());
    }

    private void Configure(OtlpExporterOptions exporter, OtlpExportProtocol protocol, string signal)
    {
        exporter.Protocol = protocol;
        exporter.Endpoint = protocol == OtlpExportProtocol.Grpc ? new Uri($"http://127.0.0.1:{_grpcPort}") : new Uri(_medic.Address, $"v1/{signal}");
        exporter.TimeoutMilliseconds = 30_000;
    }

    private static JsonNode One(JsonArray series)
    {
        Assert.Single(series);
        return series[0]!;
    }

    private async Task<JsonArray> SeriesAsync(string selector) =>
        (await WaitAsync(async () =>
        {
            var result = await _medic.Http.GetFromJsonAsync<JsonObject>($"/api/v1/samples?match={Uri.EscapeDataString(selector)}");
            return result!["series"]!.AsArray().Count > 0 ? result : null;
        }))["series"]!.AsArray();

    private static async Task<JsonObject> WaitAsync(Func<Task<JsonObject?>> probe)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("what was sent never became queryable (a hang guard)");
    }
}
