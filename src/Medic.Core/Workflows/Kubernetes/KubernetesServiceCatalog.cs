using System.Text.Json.Nodes;
using Medic.Core.Decisions;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>
/// Service information from the cluster: the Deployment or StatefulSet named like the service
/// (or labelled <c>app.kubernetes.io/name</c> with it). A StatefulSet is tagged <c>stateful</c>;
/// the comma-separated annotation <c>medic.io/tags</c> adds tags; a <c>tier</c> label adds <c>tier:VALUE</c>.
/// </summary>
public sealed class KubernetesServiceCatalog(IKubernetesApi api) : IServiceCatalog
{
    /// <summary>The annotation holding extra tags.</summary>
    public const string TagsAnnotation = "medic.io/tags";

    /// <inheritdoc />
    public async Task<ServiceInfo?> GetAsync(string service, CancellationToken cancellationToken)
    {
        foreach (var kind in new[] { "Deployment", "StatefulSet" })
        {
            var workload = (await api.ListAsync(kind, null, null, null, cancellationToken)).FirstOrDefault(w => Names(w, service));
            if (workload is null)
            {
                continue;
            }

            var tags = new List<string>();
            if (kind == "StatefulSet")
            {
                tags.Add("stateful");
            }

            if (KubernetesObjects.Annotation(workload, TagsAnnotation) is { } extra)
            {
                tags.AddRange(extra.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            if (workload["metadata"]?["labels"]?["tier"]?.GetValue<string>() is { } tier)
            {
                tags.Add($"tier:{tier}");
            }

            return new ServiceInfo(service, KubernetesObjects.Namespace(workload), kind, tags.Distinct(StringComparer.Ordinal).ToList())
            {
                Replicas = workload["spec"]?["replicas"]?.GetValue<int>(),
            };
        }

        return null;
    }

    private static bool Names(JsonObject workload, string service) =>
        KubernetesObjects.Name(workload) == service
        || workload["metadata"]?["labels"]?["app.kubernetes.io/name"]?.GetValue<string>() == service;
}
