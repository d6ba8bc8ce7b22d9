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

    /// <summary>Objects of a kind, in one namespace or all (null).</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="namespace">The namespace, or null for all.</param>
    /// <param name="fieldSelector">A field selector such as <c>spec.nodeName=node-1</c>, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? @namespace, string? fieldSelector, CancellationToken cancellationToken);

    /// <summary>Applies a JSON merge patch (RFC 7386) and returns the object after it.</summary>
    Task<JsonObject> PatchAsync(string kind, string? @namespace, string name, JsonObject patch, CancellationToken cancellationToken);

    /// <summary>Evicts a pod through the Eviction API (which honours PodDisruptionBudgets).</summary>
    Task EvictAsync(string @namespace, string pod, CancellationToken cancellationToken);

    /// <summary>Deletes an object.</summary>
    Task DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken);
}
