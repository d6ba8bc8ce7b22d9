using k8s;

namespace Medic.Adapters.Kubernetes;

/// <summary>The one client to the cluster Medic acts on and watches; <see cref="Client"/> is null when there is none.</summary>
public sealed class KubernetesConnection(IKubernetes? client) : IDisposable
{
    /// <summary>The client, or null when no cluster is configured.</summary>
    public IKubernetes? Client => client;

    /// <inheritdoc />
    public void Dispose() => client?.Dispose();

    /// <summary>Builds the client from a kubeconfig, or from the pod's service account when Medic runs in the cluster; null when no cluster is configured and Medic is not running in one.</summary>
    public static IKubernetes? Create(KubernetesOptions options)
    {
        if (options.Kubeconfig is { } path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The kubeconfig {path} does not exist; fix kubernetes.kubeconfig in medic.yaml.", path);
            }

            return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context));
        }

        if (options.InCluster ?? KubernetesClientConfiguration.IsInCluster())
        {
            return new k8s.Kubernetes(KubernetesClientConfiguration.InClusterConfig());
        }

        return null;
    }
}
