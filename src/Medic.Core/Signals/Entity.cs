using System.Text.Json.Serialization;
using Medic.Core.Telemetry;

namespace Medic.Core.Signals;

/// <summary>
/// The thing a signal is about: a service, a pod or a node, with what is known of where it lives.
/// </summary>
/// <param name="Kind">One of <see cref="EntityKinds"/>.</param>
/// <param name="Name">The entity's own name (pod name for a pod, node name for a node).</param>
public sealed record Entity(string Kind, string Name)
{
    /// <summary>The service the entity belongs to (for a pod or a service).</summary>
    public string? Service { get; init; }

    /// <summary>The Kubernetes namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The pod name, for a pod.</summary>
    [JsonPropertyName("pod_name")]
    public string? Pod { get; init; }

    /// <summary>The node the entity runs on, or the node itself.</summary>
    [JsonPropertyName("node_name")]
    public string? Node { get; init; }

    /// <summary>The workload that owns a pod, as <c>Kind/name</c>: <c>Deployment/cart</c>, <c>StatefulSet/db</c>.</summary>
    public string? Owner { get; init; }

    /// <summary>A short display form: <c>pod/cart-6f9c-x2v8</c>.</summary>
    public override string ToString() => $"{Kind}/{Name}";

    /// <summary>The entity that best describes a series, from its labels.</summary>
    public static Entity FromSeries(SeriesKey series)
    {
        var pod = series[Labels.Pod];
        var service = series[Labels.Service];
        var node = series[Labels.Node];
        var (kind, name) = pod is not null ? (EntityKinds.Pod, pod)
            : service is not null ? (EntityKinds.Service, service)
            : node is not null ? (EntityKinds.Node, node)
            : (EntityKinds.Series, series.ToString());
        return new Entity(kind, name)
        {
            Service = service,
            Namespace = series[Labels.Namespace],
            Pod = pod,
            Node = node,
        };
    }

    /// <summary>
    /// The candidate root cause this entity rolls up to: its service when it has one, else itself
    /// (a node). Pods come and go; the service or node is what a playbook acts on.
    /// </summary>
    public (string Kind, string Name) Candidate =>
        Service is not null ? (EntityKinds.Service, Service) : (Kind, Name);
}
