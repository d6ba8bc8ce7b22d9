using Medic.Core.Tests.Support;
using Medic.Core.Topology;
using Medic.Core.Traces;

namespace Medic.Core.Tests.Topology;

/// <summary>The service graph from spans: calls paired across batches, messages, databases, figures, aging and the deployment.</summary>
public sealed class ServiceGraphTests
{
    private static int _ids;

    [Fact]
    public void A_client_span_and_the_server_span_it_caused_make_an_edge_whichever_arrives_first()
    {
        var graph = new ServiceGraph();
        var (client, server) = Call("frontend", "checkout", Some.Start, 120);
        graph.Learn([server]);
        Assert.Empty(graph.Callees("frontend"));

        graph.Learn([client]);
        var (client2, server2) = Call("checkout", "payment", Some.Start, 80);
        graph.Learn([client2]);
        graph.Learn([server2]);

        Assert.Equal(["checkout"], graph.Callees("frontend"));
        Assert.Equal(["checkout"], graph.Callers("payment"));
        var edge = graph.Snapshot().Edges.Single(e => e.From == "frontend");
        Assert.Equal((EdgeKinds.Call, "checkout"), (edge.Kind, edge.To));
    }

    [Fact]
    public void Spans_within_one_service_make_no_edge()
    {
        var graph = new ServiceGraph();
        var (client, server) = Call("cart", "cart", Some.Start, 5);
        graph.Learn([client, server]);

        Assert.Empty(graph.Snapshot().Edges);
    }

    [Fact]
    public void A_message_from_producer_to_consumer_is_an_async_edge()
    {
        var graph = new ServiceGraph();
        var trace = Id(32);
        var producer = Span(trace, Id(16), "", "checkout", "producer", Some.Start, 2) with
        {
            Attributes = new Dictionary<string, string> { ["messaging.system"] = "rabbitmq", ["messaging.destination.name"] = "orders" },
        };
        var consumer = Span(trace, Id(16), producer.SpanId, "order-worker", "consumer", Some.Start.AddSeconds(3), 40);
        graph.Learn([producer, consumer]);

        var edge = Assert.Single(graph.Snapshot().Edges);
        Assert.Equal(("checkout", "order-worker", EdgeKinds.Messaging), (edge.From, edge.To, edge.Kind));
        Assert.InRange(edge.LatencyP50Ms!.Value, 40, 40 * 1.42);
    }

    [Fact]
    public void A_message_no_consumer_span_answers_becomes_an_edge_to_its_queue_after_the_pairing_wait()
    {
        var graph = new ServiceGraph();
        var producer = Span(Id(32), Id(16), "", "checkout", "producer", Some.Start, 2) with
        {
            Attributes = new Dictionary<string, string> { ["messaging.system"] = "rabbitmq", ["messaging.destination.name"] = "orders" },
        };
        graph.Learn([producer]);
        Assert.Empty(graph.Snapshot().Edges);

        graph.Learn([Span(Id(32), Id(16), "", "frontend", "server", Some.Start.AddMinutes(1), 10)]);

        var snapshot = graph.Snapshot();
        Assert.Equal(("checkout", "orders", EdgeKinds.Messaging), (snapshot.Edges[0].From, snapshot.Edges[0].To, snapshot.Edges[0].Kind));
        Assert.Contains(new GraphNode("orders", NodeKinds.Queue), snapshot.Nodes);
    }

    [Fact]
    public void Database_client_spans_make_an_edge_to_the_database_at_once()
    {
        var graph = new ServiceGraph();
        var query = Span(Id(32), Id(16), "", "cart", "client", Some.Start, 7, error: true) with
        {
            Attributes = new Dictionary<string, string> { ["db.system"] = "postgresql", ["db.name"] = "shop" },
        };
        graph.Learn([query]);

        var snapshot = graph.Snapshot();
        var edge = Assert.Single(snapshot.Edges);
        Assert.Equal(("cart", "shop", EdgeKinds.Database, 1.0), (edge.From, edge.To, edge.Kind, edge.ErrorRate));
        Assert.Contains(new GraphNode("shop", NodeKinds.Database), snapshot.Nodes);
        Assert.Equal(["shop"], graph.Callees("cart"));
    }

    [Fact]
    public void Each_edge_has_its_request_rate_error_rate_and_latency_percentiles_over_the_last_minutes()
    {
        var graph = new ServiceGraph();
        var spans = new List<SpanRecord>();
        for (var i = 0; i < 300; i++)
        {
            // 300 calls over 5 minutes; every tenth fails; one in a hundred takes a second.
            var (client, server) = Call("frontend", "checkout", Some.Start.AddSeconds(i), i % 100 == 99 ? 1000 : 20, error: i % 10 == 0);
            spans.Add(client);
            spans.Add(server);
        }

        graph.Learn(spans);

        var edge = Assert.Single(graph.Snapshot().Edges);
        Assert.InRange(edge.RequestRate, 0.95, 1.05);
        Assert.Equal(0.1, edge.ErrorRate, 2);
        Assert.InRange(edge.LatencyP50Ms!.Value, 20, 20 * 1.42);
        Assert.InRange(edge.LatencyP99Ms!.Value, 20, 1000 * 1.42);
        Assert.InRange(edge.LatencyP90Ms!.Value, 20, 20 * 1.42);
    }

    [Fact]
    public void Edges_and_pods_age_out_when_their_traffic_stops()
    {
        var graph = new ServiceGraph(new ServiceGraphOptions { EdgeTtl = TimeSpan.FromMinutes(10) });
        var (client, server) = Call("frontend", "search", Some.Start, 10, pod: "search-5d8f7-abcde");
        graph.Learn([client, server]);
        Assert.Equal(["search"], graph.Callees("frontend"));

        var (later, laterServer) = Call("frontend", "checkout", Some.Start.AddMinutes(11), 10);
        graph.Learn([later, laterServer]);

        Assert.Equal(["checkout"], graph.Callees("frontend"));
        Assert.DoesNotContain(graph.Snapshot().Pods, p => p.Service == "search");
        Assert.Empty(graph.ServicesOnNode("node-2"));
    }

    [Fact]
    public void The_deployment_is_read_from_the_span_resources()
    {
        var graph = new ServiceGraph();
        var (client, server) = Call("frontend", "cart", Some.Start, 10, pod: "cart-7c9d6b5f4-x2v8k");
        graph.Learn([client, server]);

        var pod = graph.Snapshot().Pods.Single(p => p.Service == "cart");
        Assert.Equal(("cart-7c9d6b5f4-x2v8k", "node-2", "zone-b", "cart-7c9d6b5f4", "cart", "shop"), (pod.Pod, pod.Node, pod.Zone, pod.ReplicaSet, pod.Deployment, pod.Namespace));
        Assert.Equal(["cart"], graph.ServicesOnNode("node-2"));
    }

    [Fact]
    public void Kubernetes_events_place_pods_and_name_their_owners()
    {
        var graph = new ServiceGraph();
        graph.Learn(new Events.KubernetesEvent("OOMKilled", "Warning", "Pod", "payment-6b7c8d9f5-q2w3e", "shop", "Container payment was OOMKilled", Some.Start)
        {
            Service = "payment",
            Node = "node-4",
            Owner = "Deployment/payment",
        });

        var pod = Assert.Single(graph.Snapshot().Pods);
        Assert.Equal(("payment", "node-4", "payment", "shop"), (pod.Service, pod.Node, pod.Deployment, pod.Namespace));
        Assert.Empty(graph.ServicesOnNode("node-4")); // Too sparse to tell a pod has moved.
    }

    [Fact]
    public void Combined_with_what_metric_labels_say_the_topology_answers_with_both()
    {
        var graph = new ServiceGraph();
        var (client, server) = Call("frontend", "cart", Some.Start, 10);
        graph.Learn([client, server]);
        var combined = new CombinedTopology([Some.Topology([("frontend", "search")], []), graph]);

        Assert.Equal(["cart", "search"], combined.Callees("frontend"));
    }

    private static (SpanRecord Client, SpanRecord Server) Call(string from, string to, DateTimeOffset at, double ms, bool error = false, string? pod = null)
    {
        var trace = Id(32);
        var client = Span(trace, Id(16), "", from, "client", at, ms + 1, error) with { Attributes = new Dictionary<string, string> { ["peer.service"] = to } };
        var server = Span(trace, Id(16), client.SpanId, to, "server", at.AddTicks(5_000), ms, error) with
        {
            Resource = pod is null ? new Dictionary<string, string>() : new Dictionary<string, string>
            {
                ["pod"] = pod, ["node"] = "node-2", ["zone"] = "zone-b", ["namespace"] = "shop", ["replicaset"] = pod[..pod.LastIndexOf('-')],
            },
        };
        return (client, server);
    }

    private static SpanRecord Span(string trace, string id, string parent, string service, string kind, DateTimeOffset start, double ms, bool error = false) =>
        new(trace, id, parent, service, $"{kind} {service}", kind, start, start.AddMilliseconds(ms), error);

    private static string Id(int hexDigits) => Interlocked.Increment(ref _ids).ToString($"x{hexDigits}", System.Globalization.CultureInfo.InvariantCulture);
}
