using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

public sealed partial class KubernetesCallProvider
{
    /// <summary>Marks the node (un)schedulable with a strategic merge patch, as <c>kubectl cordon</c> does; a node already so is left alone.</summary>
    private async Task<JsonObject> CordonAsync(string node, bool unschedulable, List<string> log, CancellationToken cancellationToken)
    {
        var current = await api.GetAsync("Node", null, node, cancellationToken)
            ?? throw new KubernetesActionException($"node {node} not found");
        if ((current["spec"]?["unschedulable"]?.GetValue<bool>() ?? false) == unschedulable)
        {
            log.Add($"node {node} already {(unschedulable ? "cordoned" : "uncordoned")}");
            return current;
        }

        var result = await api.PatchAsync("Node", null, node, new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = unschedulable } }, PatchType.StrategicMerge, cancellationToken);
        log.Add(unschedulable ? $"cordoned node {node}" : $"uncordoned node {node}");
        return result;
    }

    /// <summary>
    /// Cordons the node, then evicts its pods through the Eviction API (so PodDisruptionBudgets are
    /// honoured), leaving DaemonSet and mirror pods, as <c>kubectl drain --ignore-daemonsets</c> does.
    /// Pods already gone are not there to evict, so a repeated drain only finishes the job.
    /// </summary>
    private async Task<JsonObject> DrainAsync(string node, List<string> log, CancellationToken cancellationToken)
    {
        await CordonAsync(node, true, log, cancellationToken);
        var evicted = new JsonArray();
        var skipped = new JsonArray();
        var refused = new List<string>();
        foreach (var pod in await api.ListAsync("Pod", null, null, $"spec.nodeName={node}", cancellationToken))
        {
            var id = $"{KubernetesObjects.Namespace(pod)}/{KubernetesObjects.Name(pod)}";
            if (KubernetesObjects.Owner(pod, "DaemonSet") is not null || KubernetesObjects.Annotation(pod, "kubernetes.io/config.mirror") is not null)
            {
                skipped.Add(id);
                continue;
            }

            try
            {
                await api.EvictAsync(KubernetesObjects.Namespace(pod) ?? "default", KubernetesObjects.Name(pod), cancellationToken);
                evicted.Add(id);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 404)
            {
                // Gone between the list and the eviction: nothing left to do for it.
            }
            catch (KubernetesApiException e) when (e.StatusCode == 429)
            {
                refused.Add(id);
            }
        }

        log.Add($"drained node {node}: evicted {evicted.Count} pod(s), left {skipped.Count} DaemonSet/mirror pod(s)");
        if (refused.Count > 0)
        {
            throw new KubernetesApiException(429, $"a PodDisruptionBudget refused the eviction of {string.Join(", ", refused)}; try again later");
        }

        return new JsonObject { ["node"] = node, ["evicted"] = evicted, ["skipped"] = skipped };
    }
}
