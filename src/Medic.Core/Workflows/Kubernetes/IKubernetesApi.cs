using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>
/// The few Kubernetes API operations Medic's actions are built from, on objects as JSON exactly
/// as the API server returns them. Implemented against a real cluster with the official client,
/// and by the simulator.
/// </summary>
public interface IKubernetesApi
{
    /// <summary>The object, or null when it does not exist.</summary>
    /// <param name="kind">The kind, e.g. <c>Pod</c>, <c>Deployment</c>, <c>ReplicaSet</c>, <c>Node</c>.</param>
    /// <param name="namespace">The namespace; null for cluster-scoped kinds.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<JsonObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Objects of a kind, in one namespace or all (null), optionally filtered by selectors.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="namespace">The namespace, or null for all.</param>
    /// <param name="labelSelector">A label selector such as <c>app=cart</c>, or null.</param>
    /// <param name="fieldSelector">A field selector such as <c>spec.nodeName=node-1</c>, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? @namespace, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken);

    /// <summary>Patches an object and returns it as it is after the patch.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="namespace">The namespace; null for cluster-scoped kinds.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="patch">The patch: an object for merge patches, an array of operations for a JSON patch.</param>
    /// <param name="type">Which kind of patch (and content type) it is.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<JsonObject> PatchAsync(string kind, string? @namespace, string name, JsonNode patch, PatchType type, CancellationToken cancellationToken);

    /// <summary>Sets the replicas through the scale subresource (a merge patch of <c>spec.replicas</c>, as <c>kubectl scale</c> does).</summary>
    Task<JsonObject> ScaleAsync(string kind, string @namespace, string name, int replicas, CancellationToken cancellationToken);

    /// <summary>Evicts a pod through the Eviction API (which honours PodDisruptionBudgets).</summary>
    Task EvictAsync(string @namespace, string pod, CancellationToken cancellationToken);

    /// <summary>Deletes an object, its dependents in the background (as <c>kubectl delete</c> does).</summary>
    Task DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken);
}
