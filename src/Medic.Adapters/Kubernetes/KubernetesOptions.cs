namespace Medic.Adapters.Kubernetes;

/// <summary>How Medic reaches a Kubernetes cluster (the <c>kubernetes</c> section of medic.yaml).</summary>
public sealed class KubernetesOptions
{
    /// <summary>A kubeconfig file. Default: none.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use. Default: the file's current context.</summary>
    public string? Context { get; set; }

    /// <summary>Use the pod's service account (when Medic runs in the cluster). Default: when Medic finds itself in a cluster.</summary>
    public bool? InCluster { get; set; }

    /// <summary>Watch the cluster's events and pod states and turn trouble into signals. Default: on (when there is a cluster).</summary>
    public bool WatchEvents { get; set; } = true;
}
