using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Medic.Tests.Apis;

/// <summary>
/// <c>GET /api/v1/topology</c> after two services traced with the OpenTelemetry .NET SDK send their
/// spans over OTLP: the call between them, the database behind one, and where their pods run.
/// </summary>
public sealed class TopologyApiTests : IAsyncLifetime
{
    private TestServer _medic = null!;

    public async Task InitializeAsync() => _medic = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _medic.DisposeAsync();

    [Fact]
    public async Task Spans_from_two_services_give_their_call_the_database_behind_and_the_pods_placement()
    {
        using var frontendSource = new ActivitySource("medic.test.frontend");
        using var checkoutSource = new ActivitySource("medic.test.checkout");
        using (var frontend = Provider("frontend", frontendSource, "frontend-6c7d8f9b5-abcde", "node-1", "zone-a"))
        using (var checkout = Provider("checkout", checkoutSource, "checkout-5f4b7c8d9-vwxyz", "node-2", "zone-b"))
        {
            for (var i = 0; i < 5; i++)
            {
                using var request = frontendSource.StartActivity("GET /checkout", ActivityKind.Server)!;
                using var call = frontendSource.StartActivity("POST /checkout", ActivityKind.Client)!;
                call.SetTag("peer.service", "checkout");
                using (var served = checkoutSource.StartActivity("POST /checkout", ActivityKind.Server, call.Context)!)
                {
                    using var query = checkoutSource.StartActivity("INSERT orders", ActivityKind.Client)!;
                    query.SetTag("db.system", "postgresql");
                    query.SetTag("db.name", "orders-db");
                    if (i == 0)
                    {
                        served.SetStatus(ActivityStatusCode.Error);
                    }
                }
            }

            Assert.True(frontend.ForceFlush(30_000));
            Assert.True(checkout.ForceFlush(30_000));
        }

        var topology = await WaitAsync(async () =>
        {
            var t = (await _medic.Http.GetFromJsonAsync<JsonObject>("/api/v1/topology"))!;
            return t["edges"]!.AsArray().Count >= 2 ? t : null;
        });

        var edges = topology["edges"]!.AsArray().ToDictionary(e => $"{e!["from"]}->{e["to"]}", e => e!);
        var checkoutCall = edges["frontend->checkout"];
        Assert.Equal(("call", "spans", 0.2), (checkoutCall["kind"]!.GetValue<string>(), checkoutCall["source"]!.GetValue<string>(), checkoutCall["error_rate"]!.GetValue<double>()));
        Assert.True(checkoutCall["request_rate"]!.GetValue<double>() > 0);
        Assert.NotNull(checkoutCall["latency_p99_ms"]);
        Assert.Equal("database", edges["checkout->orders-db"]["kind"]!.GetValue<string>());
        Assert.Contains(topology["nodes"]!.AsArray(), n => n!["name"]!.GetValue<string>() == "orders-db" && n["kind"]!.GetValue<string>() == "database");

        var pods = topology["deployment"]!["pods"]!.AsArray().ToDictionary(p => p!["service"]!.GetValue<string>(), p => p!);
        Assert.Equal(("node-2", "zone-b", "checkout-5f4b7c8d9", "checkout"), (pods["checkout"]["node"]!.GetValue<string>(), pods["checkout"]["zone"]!.GetValue<string>(), pods["checkout"]["replica_set"]!.GetValue<string>(), pods["checkout"]["deployment"]!.GetValue<string>()));
        Assert.Contains(topology["deployment"]!["nodes"]!.AsArray(), n => n!["name"]!.GetValue<string>() == "node-1" && n["zone"]!.GetValue<string>() == "zone-a");
        Assert.True(topology["stats"]!["spans"]!.GetValue<long>() >= 20);
    }

    private TracerProvider Provider(string service, ActivitySource source, string pod, string node, string zone) =>
        Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(service).AddAttributes(new Dictionary<string, object>
            {
                ["k8s.pod.name"] = pod,
                ["k8s.node.name"] = node,
                ["k8s.namespace.name"] = "shop",
                ["k8s.replicaset.name"] = pod[..pod.LastIndexOf('-')],
                ["cloud.availability_zone"] = zone,
            }))
            .AddSource(source.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(e =>
            {
                e.Protocol = OtlpExportProtocol.HttpProtobuf;
                e.Endpoint = new Uri(_medic.Address, "v1/traces");
            })
            .Build()!;

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

        throw new TimeoutException("the spans never showed in the topology (a hang guard)");
    }
}
