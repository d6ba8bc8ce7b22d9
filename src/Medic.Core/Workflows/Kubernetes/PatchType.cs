namespace Medic.Core.Workflows.Kubernetes;

/// <summary>The patch formats of the Kubernetes API, each with its content type.</summary>
public enum PatchType
{
    /// <summary>JSON merge patch (RFC 7386), <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>Strategic merge patch, <c>application/strategic-merge-patch+json</c>: what <c>kubectl patch</c> sends by default.</summary>
    StrategicMerge,

    /// <summary>JSON patch (RFC 6902), <c>application/json-patch+json</c>: a list of operations.</summary>
    Json,
}
