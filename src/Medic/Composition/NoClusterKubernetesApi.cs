using System.Text.Json.Nodes;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Composition;

/// <summary>
/// The Kubernetes API when no cluster is configured: lists are empty (nothing is known of the
/// workloads), and every other call fails with an error that says so, so the run that asked is
/// escalated to people instead of pretending to act.
/// </summary>
internal sealed class NoClusterKubernetesApi : IKubernetesApi
{
    private const string Message = "no Kubernetes cluster is configured for this Medic; the action was not carried out";

    public Task<JsonObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) => throw Refusal();

    public Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? @namespace, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonObject>>([]);

    public Task<JsonObject> PatchAsync(string kind, string? @namespace, string name, JsonNode patch, PatchType type, CancellationToken cancellationToken) => throw Refusal();

    public Task<JsonObject> ScaleAsync(string kind, string @namespace, string name, int replicas, CancellationToken cancellationToken) => throw Refusal();

    public Task EvictAsync(string @namespace, string pod, CancellationToken cancellationToken) => throw Refusal();

    public Task DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) => throw Refusal();

    private static KubernetesApiException Refusal() => new(412, Message);
}
