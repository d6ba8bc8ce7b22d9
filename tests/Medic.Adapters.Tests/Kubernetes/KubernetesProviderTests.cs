using System.Text.Json.Nodes;
using k8s;
using Medic.Adapters.Kubernetes;
using Medic.Core.Workflows;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Adapters.Tests.Kubernetes;

/// <summary>
/// The <c>kubernetes_api_call</c> provider over the official client, against a loopback API server
/// serving recorded API JSON: each operation sends the requests <c>kubectl</c> sends.
/// </summary>
public sealed class KubernetesProviderTests : IAsyncLifetime
{
    private const string Deployments = "/apis/apps/v1/namespaces/shop/deployments";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private FakeKubernetesApiServer _server = null!;
    private KubernetesCallProvider _provider = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubernetesApiServer.StartAsync();
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _server.Address });
        _provider = new KubernetesCallProvider(new KubernetesClientApi(_client));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Rollout_restart_sends_the_strategic_merge_patch_kubectl_sends()
    {
        _server.On("GET", $"{Deployments}/cart", "deployment-cart.json").On("PATCH", $"{Deployments}/cart", "deployment-cart.json");

        var result = await CallAsync(new() { ["verb"] = "rollout_restart", ["resource"] = "deployment", ["name"] = "cart", ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        var patch = Single("PATCH");
        Assert.Equal($"{Deployments}/cart", patch.Path);
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType);
        Assert.Equal("""{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-24T10:00:00Z"}}}}}""", Compact(patch.Body));
    }

    [Fact]
    public async Task A_restart_named_by_a_replicaset_follows_the_owner_chain_to_the_deployment()
    {
        _server.On("GET", "/apis/apps/v1/namespaces/shop/replicasets/cart-7d9f8b6c5", "replicaset-cart-7d9f8b6c5.json")
            .On("GET", $"{Deployments}/cart", "deployment-cart.json")
            .On("PATCH", $"{Deployments}/cart", "deployment-cart.json");

        var result = await CallAsync(new() { ["verb"] = "rollout_restart", ["resource"] = "deployment", ["name"] = "cart-7d9f8b6c5", ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            ["GET /apis/apps/v1/namespaces/shop/deployments/cart-7d9f8b6c5", "GET /api/v1/namespaces/shop/pods/cart-7d9f8b6c5", "GET /apis/apps/v1/namespaces/shop/replicasets/cart-7d9f8b6c5", $"GET {Deployments}/cart", $"PATCH {Deployments}/cart"],
            _server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Contains("'cart-7d9f8b6c5' is not a deployment: it is a ReplicaSet owned by Deployment 'cart'; acting on deployment shop/cart", result.Log);
    }

    [Fact]
    public async Task Scale_patches_the_scale_subresource_with_a_merge_patch()
    {
        _server.On("GET", $"{Deployments}/cart", "deployment-cart.json").On("PATCH", $"{Deployments}/cart/scale", "scale-cart.json");

        var result = await CallAsync(new() { ["verb"] = "scale", ["resource"] = "deployment", ["name"] = "cart", ["namespace"] = "shop", ["replicas"] = "3" });

        Assert.True(result.Succeeded, result.Error);
        var patch = Single("PATCH");
        Assert.Equal(($"{Deployments}/cart/scale", "application/merge-patch+json"), (patch.Path, patch.ContentType));
        Assert.Equal("""{"spec":{"replicas":3}}""", Compact(patch.Body));
        Assert.Equal("scaled deployment shop/cart from 2 to 3 replicas", result.Log.Single());
    }

    [Fact]
    public async Task Rollback_lists_replicasets_by_selector_and_sends_kubectls_json_patch()
    {
        _server.On("GET", $"{Deployments}/cart", "deployment-cart.json")
            .On("GET", "/apis/apps/v1/namespaces/shop/replicasets", "replicasets-cart.json")
            .On("PATCH", $"{Deployments}/cart", "deployment-cart.json");

        var result = await CallAsync(new() { ["verb"] = "rollback", ["resource"] = "deployment", ["name"] = "cart", ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        var list = _server.Requests.Single(r => r.Path.EndsWith("/replicasets", StringComparison.Ordinal));
        Assert.Equal("app.kubernetes.io/name=cart", list.Query["labelSelector"]);
        var patch = Single("PATCH");
        Assert.Equal("application/json-patch+json", patch.ContentType);
        var operations = JsonNode.Parse(patch.Body)!.AsArray();
        Assert.Equal(["replace /spec/template", "replace /metadata/annotations"], operations.Select(o => $"{o!["op"]} {o["path"]}"));
        var template = operations[0]!["value"]!;
        Assert.Equal("registry.example/shop/cart:3.0.2", template["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Null(template["metadata"]!["labels"]!["pod-template-hash"]);
        var annotations = operations[1]!["value"]!.AsObject();
        Assert.Equal("2", annotations["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.True(annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
        Assert.False(annotations.ContainsKey("deployment.kubernetes.io/desired-replicas"));
        Assert.Equal("medic rollback run:rollback:1", annotations["kubernetes.io/change-cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cordon_reads_the_node_and_sends_a_strategic_merge_patch()
    {
        _server.On("GET", "/api/v1/nodes/node-1", "node-1.json").On("PATCH", "/api/v1/nodes/node-1", "node-1.json");

        var result = await CallAsync(new() { ["verb"] = "cordon", ["resource"] = "node", ["name"] = "node-1" });

        Assert.True(result.Succeeded, result.Error);
        var patch = Single("PATCH");
        Assert.Equal(("/api/v1/nodes/node-1", "application/strategic-merge-patch+json", """{"spec":{"unschedulable":true}}"""), (patch.Path, patch.ContentType, Compact(patch.Body)));
    }

    [Fact]
    public async Task Drain_evicts_every_pod_but_daemonset_ones_through_the_eviction_api()
    {
        _server.On("GET", "/api/v1/nodes/node-1", "node-1.json")
            .On("PATCH", "/api/v1/nodes/node-1", "node-1.json")
            .On("GET", "/api/v1/pods", "pods-on-node-1.json")
            .On("POST", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z/eviction", "eviction-created.json", 201)
            .On("POST", "/api/v1/namespaces/shop/pods/payment-5c7b9d8f4-q7w2e/eviction", "eviction-created.json", 201);

        var result = await CallAsync(new() { ["verb"] = "drain", ["resource"] = "node", ["name"] = "node-1" });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("spec.nodeName=node-1", _server.Requests.Single(r => r.Path == "/api/v1/pods").Query["fieldSelector"]);
        var evictions = _server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z/eviction", "/api/v1/namespaces/shop/pods/payment-5c7b9d8f4-q7w2e/eviction"], evictions.Select(e => e.Path));
        Assert.Equal("application/json", evictions[0].ContentType);
        Assert.Equal("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"cart-7d9f8b6c5-x2x9z","namespace":"shop"}}""", Compact(evictions[0].Body));
        Assert.Equal(["logging/fluent-bit-7x8kq"], result.Output!["skipped"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_disruption_budget_refusal_is_a_retryable_failure()
    {
        _server.On("GET", "/api/v1/nodes/node-1", "node-1.json")
            .On("PATCH", "/api/v1/nodes/node-1", "node-1.json")
            .On("GET", "/api/v1/pods", "pods-on-node-1.json")
            .On("POST", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z/eviction", "eviction-created.json", 201)
            .On("POST", "/api/v1/namespaces/shop/pods/payment-5c7b9d8f4-q7w2e/eviction", "status-pdb.json", 429);

        var result = await CallAsync(new() { ["verb"] = "drain", ["resource"] = "node", ["name"] = "node-1" });

        Assert.False(result.Succeeded);
        Assert.True(result.Retryable);
        Assert.Contains("PodDisruptionBudget refused the eviction of shop/payment-5c7b9d8f4-q7w2e", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_pod_deletes_in_the_background_as_kubectl_does()
    {
        _server.On("GET", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z", "pod-cart.json")
            .On("DELETE", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z", "pod-cart.json");

        var result = await CallAsync(new() { ["verb"] = "delete_pod", ["resource"] = "pod", ["name"] = "cart-7d9f8b6c5-x2x9z", ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        var delete = Single("DELETE");
        Assert.Equal("""{"propagationPolicy":"Background"}""", Compact(delete.Body));
    }

    [Fact]
    public async Task Get_returns_the_object_and_a_missing_one_is_a_permanent_failure()
    {
        _server.On("GET", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z", "pod-cart.json");

        var found = await CallAsync(new() { ["verb"] = "get", ["resource"] = "pod", ["name"] = "cart-7d9f8b6c5-x2x9z", ["namespace"] = "shop" });
        var missing = await CallAsync(new() { ["verb"] = "get", ["resource"] = "pod", ["name"] = "gone", ["namespace"] = "shop" });

        Assert.Equal("cart-7d9f8b6c5", found.Output!["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>());
        Assert.Equal((false, false, "pod shop/gone not found"), (missing.Succeeded, missing.Retryable, missing.Error));
    }

    [Fact]
    public async Task A_server_error_is_retryable_and_carries_the_servers_message()
    {
        _server.On("GET", $"{Deployments}/cart", "status-not-found.json", 503);

        var result = await CallAsync(new() { ["verb"] = "rollout_restart", ["resource"] = "deployment", ["name"] = "cart", ["namespace"] = "shop" });

        Assert.True(result.Retryable);
        Assert.StartsWith("rollout_restart deployment shop/cart: the API answered 503", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeconfig_names_the_server_and_the_credentials()
    {
        using var dir = new Medic.Testing.TempDirectory();
        await File.WriteAllTextAsync(dir.File("kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: lab
                cluster:
                  server: "{_server.Address}"
            users:
              - name: medic
                user:
                  token: medic-sa-token
            contexts:
              - name: other
                context:
                  cluster: lab
                  user: nobody
              - name: lab
                context:
                  cluster: lab
                  user: medic
            current-context: other
            """);
        _server.On("GET", "/api/v1/namespaces/shop/pods/cart-7d9f8b6c5-x2x9z", "pod-cart.json");
        var provider = new KubernetesCallProvider(new KubernetesClientApi(KubernetesConnection.Create(new KubernetesOptions { Kubeconfig = dir.File("kubeconfig"), Context = "lab" })!));

        var result = await provider.ExecuteAsync(new ActionRequest("run", "get", "run:get:1", new Dictionary<string, object?> { ["verb"] = "get", ["resource"] = "pod", ["name"] = "cart-7d9f8b6c5-x2x9z", ["namespace"] = "shop" }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Bearer medic-sa-token", Single("GET").Authorization);
    }

    [Fact]
    public void A_missing_kubeconfig_is_an_error_that_says_which_setting_to_fix()
    {
        var error = Assert.Throws<FileNotFoundException>(() => KubernetesConnection.Create(new KubernetesOptions { Kubeconfig = "/nonexistent/kubeconfig" }));

        Assert.Equal("The kubeconfig /nonexistent/kubeconfig does not exist; fix kubernetes.kubeconfig in medic.yaml.", error.Message);
        Assert.Null(KubernetesConnection.Create(new KubernetesOptions { InCluster = false }));
    }

    private RecordedRequest Single(string method) => _server.Requests.Single(r => r.Method == method);

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    private Task<ActionResult> CallAsync(Dictionary<string, object?> parameters) =>
        _provider.ExecuteAsync(new ActionRequest("run", parameters["verb"]!.ToString()!, $"run:{parameters["verb"]}:1", parameters) { RequestedAt = Now }, CancellationToken.None);
}
