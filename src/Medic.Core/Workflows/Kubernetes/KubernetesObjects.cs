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

    /// <summary>The label the Deployment controller adds to a ReplicaSet's pod template.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The annotation Medic sets with an action's idempotency key, so a repeated step does nothing.</summary>
    public const string ActionKeyAnnotation = "medic.io/action-key";

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
