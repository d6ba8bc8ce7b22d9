using System.Globalization;
using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

public sealed partial class KubernetesCallProvider
{
    private async Task<JsonObject> RestartAsync(KubernetesCall call, string key, List<string> log, CancellationToken cancellationToken)
    {
        var workload = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(workload);
        if (workload["spec"]?["template"] is { } template && KubernetesObjects.Annotation(template, KubernetesObjects.ActionKeyAnnotation) == key)
        {
            log.Add($"{call.Kind.ToLowerInvariant()} {call.Namespace}/{name} was already restarted by this step; not restarting again");
            return workload;
        }

        var patch = TemplateAnnotations(new JsonObject
        {
            [KubernetesObjects.RestartedAtAnnotation] = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            [KubernetesObjects.ActionKeyAnnotation] = key,
        });
        var result = await api.PatchAsync(call.Kind, call.Namespace, name, patch, cancellationToken);
        log.Add($"rollout restart of {call.Kind.ToLowerInvariant()} {call.Namespace}/{name}");
        return result;
    }

    private async Task<JsonObject> ScaleAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        var workload = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(workload);
        var before = workload["spec"]?["replicas"]?.GetValue<int>();
        var result = await api.PatchAsync(call.Kind, call.Namespace, name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = call.Replicas } }, cancellationToken);
        log.Add($"scaled {call.Kind.ToLowerInvariant()} {call.Namespace}/{name} from {before} to {call.Replicas} replicas");
        return result;
    }

    /// <summary>Rolls a Deployment back to the pod template of its previous revision, as <c>kubectl rollout undo</c> does.</summary>
    private async Task<JsonObject> RollbackAsync(KubernetesCall call, string key, List<string> log, CancellationToken cancellationToken)
    {
        var deployment = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(deployment);
        var current = deployment["spec"]?["template"]?.AsObject() ?? new JsonObject();
        if (KubernetesObjects.Annotation(current, KubernetesObjects.ActionKeyAnnotation) == key)
        {
            log.Add($"deployment {call.Namespace}/{name} was already rolled back by this step; not rolling back again");
            return deployment;
        }

        var revision = KubernetesObjects.Revision(deployment);
        var previous = (await api.ListAsync("ReplicaSet", call.Namespace, null, cancellationToken))
            .Where(rs => KubernetesObjects.Owner(rs, "Deployment") == name && KubernetesObjects.Revision(rs) < revision)
            .MaxBy(KubernetesObjects.Revision)
            ?? throw new KubernetesActionException($"deployment {call.Namespace}/{name} has no revision before {revision} to roll back to");

        var target = previous["spec"]?["template"]?.DeepClone().AsObject() ?? new JsonObject();
        target["metadata"]?["labels"]?.AsObject().Remove(KubernetesObjects.PodTemplateHashLabel);
        var metadata = target["metadata"] as JsonObject ?? [];
        target["metadata"] = metadata;
        var annotations = metadata["annotations"] as JsonObject ?? [];
        metadata["annotations"] = annotations;
        annotations[KubernetesObjects.ActionKeyAnnotation] = key;
        // A merge patch merges maps: remove what the current template has and the old one had not.
        foreach (var section in new[] { "labels", "annotations" })
        {
            var wanted = metadata[section] as JsonObject ?? [];
            metadata[section] = wanted;
            foreach (var (k, _) in current["metadata"]?[section]?.AsObject() ?? [])
            {
                if (!wanted.ContainsKey(k))
                {
                    wanted[k] = null;
                }
            }
        }

        var result = await api.PatchAsync("Deployment", call.Namespace, name, new JsonObject { ["spec"] = new JsonObject { ["template"] = target } }, cancellationToken);
        log.Add($"rolled back deployment {call.Namespace}/{name} from revision {revision} to the template of revision {KubernetesObjects.Revision(previous)} (replicaset {KubernetesObjects.Name(previous)})");
        return result;
    }

    /// <summary>
    /// Finds the workload named by the step. A pod's first owner reference is its ReplicaSet, so a
    /// playbook may well name a ReplicaSet (or a pod) where a Deployment is meant: follow the owner
    /// chain to the Deployment and say so in the run log.
    /// </summary>
    private async Task<JsonObject> ResolveWorkloadAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        var name = call.Name!;
        if (await api.GetAsync(call.Kind, call.Namespace, name, cancellationToken) is { } direct)
        {
            return direct;
        }

        var owner = call.Kind;
        var rsName = name;
        if (await api.GetAsync("Pod", call.Namespace, name, cancellationToken) is { } pod)
        {
            if (KubernetesObjects.Owner(pod, owner) is { } directOwner)
            {
                log.Add($"'{name}' is a pod owned by {owner} '{directOwner}': acting on {owner} {call.Namespace}/{directOwner}");
                return await api.GetAsync(owner, call.Namespace, directOwner, cancellationToken)
                    ?? throw new KubernetesActionException($"{owner.ToLowerInvariant()} {call.Namespace}/{directOwner} (owner of pod {name}) not found");
            }

            rsName = KubernetesObjects.Owner(pod, "ReplicaSet") ?? name;
        }

        if (owner == "Deployment" && await api.GetAsync("ReplicaSet", call.Namespace, rsName, cancellationToken) is { } rs
            && KubernetesObjects.Owner(rs, "Deployment") is { } deploymentName)
        {
            log.Add($"'{name}' is not a deployment: it is {(rsName == name ? "a ReplicaSet" : $"a pod of ReplicaSet '{rsName}'")} owned by Deployment '{deploymentName}'; acting on deployment {call.Namespace}/{deploymentName}");
            return await api.GetAsync("Deployment", call.Namespace, deploymentName, cancellationToken)
                ?? throw new KubernetesActionException($"deployment {call.Namespace}/{deploymentName} (owner of replicaset {rsName}) not found");
        }

        throw new KubernetesActionException($"{owner.ToLowerInvariant()} {call.Namespace}/{name} not found, nor a ReplicaSet or pod of that name that it owns");
    }

    private static JsonObject TemplateAnnotations(JsonObject annotations) => new()
    {
        ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } } },
    };
}
