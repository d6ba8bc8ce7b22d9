using System.Globalization;
using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>Reads the common fields of Kubernetes objects held as JSON.</summary>
public static class KubernetesObjects
{
    /// <summary>The annotation <c>kubectl rollout restart</c> sets on a pod template.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    /// <summary>The annotation holding a Deployment's or ReplicaSet's revision.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>The annotation that says why a workload changed (what <c>kubectl --record</c> sets); Medic writes its idempotency key there.</summary>
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>The label the Deployment controller adds to a ReplicaSet's pod template.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>
    /// Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet, as
    /// <c>kubectl rollout undo</c> does.
    /// </summary>
    public static readonly IReadOnlySet<string> RollbackKeepsAnnotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };

    /// <summary>The label selector of a workload's <c>spec.selector.matchLabels</c>, as <c>a=b,c=d</c>.</summary>
    public static string? Selector(JsonObject workload) =>
        workload["spec"]?["selector"]?["matchLabels"] is JsonObject labels && labels.Count > 0
            ? string.Join(',', labels.Select(l => $"{l.Key}={l.Value?.GetValue<string>()}"))
            : null;

    /// <summary><c>metadata.name</c>.</summary>
    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    /// <summary><c>metadata.namespace</c>.</summary>
    public static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    /// <summary>An annotation of <c>metadata</c>, or null.</summary>
    public static string? Annotation(JsonNode? metadataOwner, string key) =>
        metadataOwner?["metadata"]?["annotations"]?[key]?.GetValue<string>();

    /// <summary>The owner reference of the given kind, as (name, kind), or null.</summary>
    public static string? Owner(JsonObject obj, string kind) =>
        obj["metadata"]?["ownerReferences"]?.AsArray()
            .FirstOrDefault(o => o?["kind"]?.GetValue<string>() == kind)?["name"]?.GetValue<string>();

    /// <summary>The revision annotation as a number (0 when missing).</summary>
    public static long Revision(JsonObject obj) =>
        long.TryParse(Annotation(obj, RevisionAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : 0;
}
