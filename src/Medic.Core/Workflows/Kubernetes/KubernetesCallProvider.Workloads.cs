using System.Globalization;
using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

public sealed partial class KubernetesCallProvider
{
    /// <summary>
    /// Sets <c>kubectl.kubernetes.io/restartedAt</c> on the pod template with a strategic merge
    /// patch, as <c>kubectl rollout restart</c> does. The time is the attempt's, so when a resumed
    /// attempt finds its own stamp it knows the restart already happened.
    /// </summary>
    private async Task<JsonObject> RestartAsync(KubernetesCall call, DateTimeOffset requestedAt, List<string> log, CancellationToken cancellationToken)
    {
        var workload = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(workload);
        var stamp = requestedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (workload["spec"]?["template"] is { } template && KubernetesObjects.Annotation(template, KubernetesObjects.RestartedAtAnnotation) == stamp)
        {
            log.Add($"{call.Kind.ToLowerInvariant()} {call.Namespace}/{name} was already restarted by this attempt ({stamp}); not restarting again");
            return workload;
        }

        var patch = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [KubernetesObjects.RestartedAtAnnotation] = stamp } } } },
        };
        var result = await api.PatchAsync(call.Kind, call.Namespace, name, patch, PatchType.StrategicMerge, cancellationToken);
        log.Add($"rollout restart of {call.Kind.ToLowerInvariant()} {call.Namespace}/{name}");
        return result;
    }

    private async Task<JsonObject> ScaleAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        var workload = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(workload);
        var before = workload["spec"]?["replicas"]?.GetValue<int>();
        var result = await api.ScaleAsync(call.Kind, call.Namespace!, name, call.Replicas!.Value, cancellationToken);
        log.Add($"scaled {call.Kind.ToLowerInvariant()} {call.Namespace}/{name} from {before} to {call.Replicas} replicas");
        return result;
    }

    /// <summary>
    /// Rolls a Deployment back to the pod template of its previous revision the way
    /// <c>kubectl rollout undo --record</c> does: the ReplicaSets are listed by the Deployment's
    /// selector, and a JSON patch replaces the template and the annotations, with the change cause
    /// naming this attempt. A resumed attempt that finds its change cause does nothing; so does a
    /// rollback to the template already running.
    /// </summary>
    private async Task<JsonObject> RollbackAsync(KubernetesCall call, string key, List<string> log, CancellationToken cancellationToken)
    {
        var deployment = await ResolveWorkloadAsync(call, log, cancellationToken);
        var name = KubernetesObjects.Name(deployment);
        var cause = $"medic rollback {key}";
        if (KubernetesObjects.Annotation(deployment, KubernetesObjects.ChangeCauseAnnotation) == cause)
        {
            log.Add($"deployment {call.Namespace}/{name} was already rolled back by this attempt; not rolling back again");
            return deployment;
        }

        var revision = KubernetesObjects.Revision(deployment);
        var uid = deployment["metadata"]?["uid"]?.GetValue<string>();
        var owned = (await api.ListAsync("ReplicaSet", call.Namespace, KubernetesObjects.Selector(deployment), null, cancellationToken))
            .Where(rs => rs["metadata"]?["ownerReferences"]?.AsArray().Any(o => o?["kind"]?.GetValue<string>() == "Deployment" && (uid is null || o["uid"]?.GetValue<string>() == uid) && o["name"]?.GetValue<string>() == name) == true)
            .ToList();
        var previous = owned.Where(rs => KubernetesObjects.Revision(rs) < revision).MaxBy(KubernetesObjects.Revision)
            ?? throw new KubernetesActionException($"deployment {call.Namespace}/{name} has no revision before {revision} to roll back to");

        var template = previous["spec"]?["template"]?.DeepClone().AsObject() ?? [];
        template["metadata"]?["labels"]?.AsObject().Remove(KubernetesObjects.PodTemplateHashLabel);
        if (JsonNode.DeepEquals(template, deployment["spec"]?["template"]))
        {
            log.Add($"deployment {call.Namespace}/{name} already runs the template of revision {KubernetesObjects.Revision(previous)}; skipped rollback");
            return deployment;
        }

        var annotations = new JsonObject();
        foreach (var (annotation, value) in deployment["metadata"]?["annotations"]?.AsObject() ?? [])
        {
            if (KubernetesObjects.RollbackKeepsAnnotations.Contains(annotation))
            {
                annotations[annotation] = value?.DeepClone();
            }
        }

        foreach (var (annotation, value) in previous["metadata"]?["annotations"]?.AsObject() ?? [])
        {
            if (!KubernetesObjects.RollbackKeepsAnnotations.Contains(annotation))
            {
                annotations[annotation] = value?.DeepClone();
            }
        }

        annotations[KubernetesObjects.ChangeCauseAnnotation] = cause;

        var patch = new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations });
        var result = await api.PatchAsync("Deployment", call.Namespace, name, patch, PatchType.Json, cancellationToken);
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
}
