using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Adapters.Kubernetes;

/// <summary>
/// <see cref="IKubernetesApi"/> on a real cluster, through the official client: typed calls for
/// the kinds Medic acts on, objects handed back as the JSON the API server sent. The client is
/// the caller's to dispose (it is shared with the <see cref="KubernetesWatcher"/>).
/// </summary>
public sealed partial class KubernetesClientApi(IKubernetes client) : IKubernetesApi
{
    /// <inheritdoc />
    public Task<JsonObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) =>
        CallAsync<JsonObject?>(async () => ToJson(kind switch
        {
            "Pod" => await client.CoreV1.ReadNamespacedPodAsync(name, Ns(@namespace), cancellationToken: cancellationToken),
            "Node" => await client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken),
            "Deployment" => await client.AppsV1.ReadNamespacedDeploymentAsync(name, Ns(@namespace), cancellationToken: cancellationToken),
            "ReplicaSet" => await client.AppsV1.ReadNamespacedReplicaSetAsync(name, Ns(@namespace), cancellationToken: cancellationToken),
            "StatefulSet" => await client.AppsV1.ReadNamespacedStatefulSetAsync(name, Ns(@namespace), cancellationToken: cancellationToken),
            "DaemonSet" => await client.AppsV1.ReadNamespacedDaemonSetAsync(name, Ns(@namespace), cancellationToken: cancellationToken),
            _ => throw Unsupported(kind),
        }), notFoundIsNull: true);

    /// <inheritdoc />
    public Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? @namespace, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<JsonObject>>(async () => Items(kind switch
        {
            "Pod" when @namespace is null => await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "Pod" => await client.CoreV1.ListNamespacedPodAsync(@namespace, fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "Node" => await client.CoreV1.ListNodeAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "Deployment" when @namespace is null => await client.AppsV1.ListDeploymentForAllNamespacesAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "Deployment" => await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "ReplicaSet" when @namespace is null => await client.AppsV1.ListReplicaSetForAllNamespacesAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "ReplicaSet" => await client.AppsV1.ListNamespacedReplicaSetAsync(@namespace, fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "StatefulSet" when @namespace is null => await client.AppsV1.ListStatefulSetForAllNamespacesAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "StatefulSet" => await client.AppsV1.ListNamespacedStatefulSetAsync(@namespace, fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "DaemonSet" when @namespace is null => await client.AppsV1.ListDaemonSetForAllNamespacesAsync(fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            "DaemonSet" => await client.AppsV1.ListNamespacedDaemonSetAsync(@namespace, fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: cancellationToken),
            _ => throw Unsupported(kind),
        }));

    /// <inheritdoc />
    public Task<JsonObject> PatchAsync(string kind, string? @namespace, string name, JsonNode patch, Core.Workflows.Kubernetes.PatchType type, CancellationToken cancellationToken)
    {
        var body = new V1Patch(patch, type switch
        {
            Core.Workflows.Kubernetes.PatchType.Json => V1Patch.PatchType.JsonPatch,
            Core.Workflows.Kubernetes.PatchType.Merge => V1Patch.PatchType.MergePatch,
            _ => V1Patch.PatchType.StrategicMergePatch,
        });
        return CallAsync(async () => ToJson(kind switch
        {
            "Pod" => await client.CoreV1.PatchNamespacedPodAsync(body, name, Ns(@namespace), cancellationToken: cancellationToken),
            "Node" => await client.CoreV1.PatchNodeAsync(body, name, cancellationToken: cancellationToken),
            "Deployment" => await client.AppsV1.PatchNamespacedDeploymentAsync(body, name, Ns(@namespace), cancellationToken: cancellationToken),
            "ReplicaSet" => await client.AppsV1.PatchNamespacedReplicaSetAsync(body, name, Ns(@namespace), cancellationToken: cancellationToken),
            "StatefulSet" => await client.AppsV1.PatchNamespacedStatefulSetAsync(body, name, Ns(@namespace), cancellationToken: cancellationToken),
            "DaemonSet" => await client.AppsV1.PatchNamespacedDaemonSetAsync(body, name, Ns(@namespace), cancellationToken: cancellationToken),
            _ => throw Unsupported(kind),
        })!);
    }

    /// <inheritdoc />
    public Task<JsonObject> ScaleAsync(string kind, string @namespace, string name, int replicas, CancellationToken cancellationToken)
    {
        var body = new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, V1Patch.PatchType.MergePatch);
        return CallAsync(async () => ToJson(kind switch
        {
            "Deployment" => await client.AppsV1.PatchNamespacedDeploymentScaleAsync(body, name, @namespace, cancellationToken: cancellationToken),
            "StatefulSet" => await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(body, name, @namespace, cancellationToken: cancellationToken),
            _ => throw Unsupported(kind),
        })!);
    }

    /// <inheritdoc />
    public Task EvictAsync(string @namespace, string pod, CancellationToken cancellationToken) =>
        CallAsync<object?>(async () =>
        {
            var eviction = new V1Eviction { ApiVersion = "policy/v1", Kind = "Eviction", Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = @namespace } };
            await client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod, @namespace, cancellationToken: cancellationToken);
            return null;
        });

    /// <inheritdoc />
    public Task DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) =>
        CallAsync<object?>(async () =>
        {
            if (kind != "Pod")
            {
                throw Unsupported(kind);
            }

            await client.CoreV1.DeleteNamespacedPodAsync(name, Ns(@namespace), new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken);
            return null;
        });

    private static string Ns(string? @namespace) => @namespace ?? "default";

    private static KubernetesApiException Unsupported(string kind) => new(400, $"Medic does not act on {kind} objects");

    private static JsonObject? ToJson(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value))?.AsObject();

    private static List<JsonObject> Items(object list) =>
        (JsonNode.Parse(KubernetesJson.Serialize(list))?["items"]?.AsArray() ?? []).Select(i => i!.AsObject()).ToList();

    /// <summary>Runs a call; API errors become <see cref="KubernetesApiException"/> with their status and the server's message.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, bool notFoundIsNull = false)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e) when (notFoundIsNull && e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return default!;
        }
        catch (HttpOperationException e)
        {
            var message = JsonNode.Parse(e.Response.Content is { Length: > 0 } c && c.TrimStart().StartsWith('{') ? c : "{}")?["message"]?.GetValue<string>() ?? e.Message;
            throw new KubernetesApiException((int)e.Response.StatusCode, message);
        }
    }
}
