using k8s;

namespace Medic.Adapters.Kubernetes;

/// <summary>Builds the client from a kubeconfig, or from the pod's service account when Medic runs in the cluster.</summary>
public static class KubernetesConnection
{
    /// <summary>A client, or null when no cluster is configured and Medic is not running in one.</summary>
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
