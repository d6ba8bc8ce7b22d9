using System.Text.Json.Nodes;
using Medic.Core.Workflows.Kubernetes;
using Medic.Sim.Estate;

namespace Medic.Sim.Cluster;

/// <summary>
/// A simulated Kubernetes cluster: objects kept as the JSON the API server would return, a
/// Deployment controller (template change → new or reused ReplicaSet, revision bump, pods
/// replaced), ReplicaSet and StatefulSet controllers that keep pod counts, and a scheduler that
/// places pods on schedulable nodes. Every API call is recorded.
/// </summary>
public sealed partial class SimCluster : IKubernetesApi
{
    /// <summary>The actor recorded for calls through the API (Medic's actions).</summary>
    public const string ApiActor = "medic";

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<string> _calls = [];
    private readonly List<Rollout> _rollouts = [];
    private readonly HashSet<string> _starting = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly TimeProvider _clock;

    /// <summary>Creates the cluster with the estate's nodes and workloads, all pods running.</summary>
    public SimCluster(EstateSpec estate, Random random, TimeProvider clock)
    {
        _random = random;
        _clock = clock;
        foreach (var node in estate.Nodes)
        {
            Put(NodeObject(node));
        }

        foreach (var service in estate.Services)
        {
            if (service.Stateful)
            {
                Put(StatefulSetObject(estate.Namespace, service));
                ReconcileStatefulSet(estate.Namespace, service.Name);
            }
            else
            {
                Put(DeploymentObject(estate.Namespace, service));
                RollOutDeployment(estate.Namespace, service.Name);
            }
        }
    }

    /// <summary>
    /// Calls the cluster refuses, as <c>VERB Kind</c> (e.g. <c>PATCH Deployment</c>, <c>EVICT Pod</c>)
    /// with the HTTP status to answer: an API server under stress, for fallback drills.
    /// </summary>
    public Dictionary<string, int> Refusals { get; } = new(StringComparer.Ordinal);

    /// <summary>Every API call so far, as <c>VERB Kind namespace/name</c>.</summary>
    public IReadOnlyList<string> ApiCalls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <inheritdoc />
    public Task<JsonObject?> GetAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record("GET", kind, @namespace, name);
            return Task.FromResult(_objects.GetValueOrDefault(Key(kind, @namespace, name))?.DeepClone().AsObject());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? @namespace, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record("LIST", kind, @namespace, fieldSelector ?? labelSelector ?? "");
            var labels = (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToList();
            string? node = null;
            if (fieldSelector is not null)
            {
                node = fieldSelector.StartsWith("spec.nodeName=", StringComparison.Ordinal)
                    ? fieldSelector["spec.nodeName=".Length..]
                    : throw new KubernetesApiException(400, $"the simulated cluster supports only the field selector spec.nodeName=NAME, not '{fieldSelector}'");
            }

            IReadOnlyList<JsonObject> items = _objects
                .Where(o => o.Key.Kind == kind && (@namespace is null || o.Key.Namespace == @namespace))
                .Where(o => node is null || o.Value["spec"]?["nodeName"]?.GetValue<string>() == node)
                .Where(o => labels.All(l => o.Value["metadata"]?["labels"]?[l[0]]?.GetValue<string>() == (l.Length > 1 ? l[1] : null)))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value.DeepClone().AsObject())
                .ToList();
            return Task.FromResult(items);
        }
    }

    /// <inheritdoc />
    public Task<JsonObject> PatchAsync(string kind, string? @namespace, string name, JsonNode patch, PatchType type, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record("PATCH", kind, @namespace, name);
            Fail("PATCH", kind);
            var target = Find(kind, @namespace, name);
            var templateBefore = target["spec"]?["template"]?.ToJsonString();
            var replicasBefore = target["spec"]?["replicas"]?.GetValue<int>();
            // A strategic merge patch merges like a JSON merge patch for every field Medic patches.
            if (type == PatchType.Json)
            {
                JsonPatch.Apply(target, patch.AsArray());
            }
            else
            {
                JsonMergePatch.Apply(target, patch.AsObject());
            }

            var templateChanged = target["spec"]?["template"]?.ToJsonString() != templateBefore;
            var replicasChanged = target["spec"]?["replicas"]?.GetValue<int>() != replicasBefore;
            switch (kind)
            {
                case "Deployment" when templateChanged || replicasChanged:
                    RollOutDeployment(@namespace!, name, ApiActor);
                    break;
                case "StatefulSet" when templateChanged:
                    Replacing(() => RestartStatefulSet(@namespace!, name, ApiActor));
                    break;
                case "StatefulSet" when replicasChanged:
                    ReconcileStatefulSet(@namespace!, name);
                    break;
            }

            return Task.FromResult(target.DeepClone().AsObject());
        }
    }

    /// <inheritdoc />
    public Task<JsonObject> ScaleAsync(string kind, string @namespace, string name, int replicas, CancellationToken cancellationToken) =>
        PatchAsync(kind, @namespace, name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, PatchType.Merge, cancellationToken);

    /// <inheritdoc />
    public Task EvictAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record("EVICT", "Pod", @namespace, pod);
            Fail("EVICT", "Pod");
            // Evicted pods are rescheduled as a drain goes, one at a time, so the workload keeps serving.
            RemovePod(Find("Pod", @namespace, pod));
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record("DELETE", kind, @namespace, name);
            if (kind != "Pod")
            {
                throw new KubernetesApiException(405, $"the simulated cluster deletes only pods, not {kind}");
            }

            Replacing(() => RemovePod(Find("Pod", @namespace, name)));
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The uids of pods created since the last call to replace pods that were deleted, or by a
    /// StatefulSet's restart: they start from cold and serve nothing until they are up.
    /// </summary>
    public IReadOnlySet<string> TakeStarting()
    {
        lock (_lock)
        {
            var taken = _starting.ToHashSet(StringComparer.Ordinal);
            _starting.Clear();
            return taken;
        }
    }

    /// <summary>Runs <paramref name="change"/> and remembers the pods it created as starting.</summary>
    private void Replacing(Action change)
    {
        var before = _objects.Where(o => o.Key.Kind == "Pod").Select(o => o.Value["metadata"]!["uid"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        change();
        _starting.UnionWith(_objects.Where(o => o.Key.Kind == "Pod").Select(o => o.Value["metadata"]!["uid"]!.GetValue<string>()).Where(uid => !before.Contains(uid)));
    }

    /// <summary>The running pods.</summary>
    public IReadOnlyList<PodView> Pods()
    {
        lock (_lock)
        {
            return _objects.Where(o => o.Key.Kind == "Pod").Select(o => new PodView(
                o.Key.Name,
                o.Value["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>(),
                o.Value["spec"]!["nodeName"]!.GetValue<string>(),
                o.Value["spec"]!["containers"]![0]!["image"]!.GetValue<string>(),
                Config(o.Value),
                o.Value["metadata"]!["uid"]!.GetValue<string>())).ToList();
        }
    }

    /// <summary>Returns every cordoned node to service, as an operator does once its trouble is fixed (its pods stay where the drain sent them).</summary>
    public void UncordonAll()
    {
        lock (_lock)
        {
            foreach (var node in _objects.Where(o => o.Key.Kind == "Node").Select(o => o.Value))
            {
                if (node["spec"] is JsonObject spec && spec.Remove("unschedulable"))
                {
                    Record("PATCH", "Node", null, KubernetesObjects.Name(node));
                }
            }
        }
    }

    /// <summary>Whether the node is cordoned.</summary>
    public bool IsCordoned(string node)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(("Node", "", node))?["spec"]?["unschedulable"]?.GetValue<bool>() == true;
        }
    }

    /// <summary>Deploys a new image to a Deployment, as a CI pipeline would.</summary>
    public void SetImage(string @namespace, string deployment, string image, string actor)
    {
        lock (_lock)
        {
            var target = Find("Deployment", @namespace, deployment);
            target["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
            RollOutDeployment(@namespace, deployment, actor);
        }
    }

    /// <summary>
    /// Changes a Deployment's configuration (the <c>MEDIC_SIM_CONFIG</c> environment variable of its
    /// container, as a config map rolled out with the pods would), which rolls the pods out.
    /// </summary>
    public void SetConfig(string @namespace, string deployment, string revision, string actor)
    {
        lock (_lock)
        {
            var container = Find("Deployment", @namespace, deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
            container["env"] = new JsonArray(new JsonObject { ["name"] = ConfigVariable, ["value"] = revision });
            RollOutDeployment(@namespace, deployment, actor);
        }
    }

    /// <summary>Records that a container of the pod restarted (after an OOM kill, say).</summary>
    public void RecordRestart(string @namespace, string pod, string reason)
    {
        lock (_lock)
        {
            if (_objects.GetValueOrDefault(("Pod", @namespace, pod))?["status"]?["containerStatuses"]?[0] is JsonObject status)
            {
                status["restartCount"] = status["restartCount"]!.GetValue<int>() + 1;
                status["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["reason"] = reason, ["finishedAt"] = Timestamp() } };
            }
        }
    }

    /// <summary>Takes the rollouts that happened since the last call.</summary>
    public IReadOnlyList<Rollout> TakeRollouts()
    {
        lock (_lock)
        {
            var taken = _rollouts.ToList();
            _rollouts.Clear();
            return taken;
        }
    }

    private static (string, string, string) Key(string kind, string? @namespace, string name) => (kind, kind == "Node" ? "" : @namespace ?? "", name);

    private JsonObject Find(string kind, string? @namespace, string name) =>
        _objects.GetValueOrDefault(Key(kind, @namespace, name))
        ?? throw new KubernetesApiException(404, $"{kind.ToLowerInvariant()}s \"{name}\" not found");

    private void Put(JsonObject obj) =>
        _objects[Key(obj["kind"]!.GetValue<string>(), obj["metadata"]?["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>())] = obj;

    private void Fail(string verb, string kind)
    {
        if (Refusals.TryGetValue($"{verb} {kind}", out var status))
        {
            throw new KubernetesApiException(status, $"the simulated API server refuses {verb} {kind} ({status})");
        }
    }

    private void Record(string verb, string kind, string? @namespace, string name) =>
        _calls.Add($"{verb} {kind} {(string.IsNullOrEmpty(@namespace) ? "" : @namespace + "/")}{name}");
}
