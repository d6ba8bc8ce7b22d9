using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Sim.Cluster;

public sealed partial class SimCluster
{
    private const string AppLabel = "app.kubernetes.io/name";

    /// <summary>
    /// The Deployment controller, done at once rather than rolling: the ReplicaSet matching the
    /// template (reused, or new) gets all replicas and the next revision; the others are scaled to zero.
    /// </summary>
    private void RollOutDeployment(string ns, string name, string actor = "bootstrap")
    {
        var deployment = Find("Deployment", ns, name);
        var template = deployment["spec"]!["template"]!.AsObject();
        var hash = TemplateHash(template);
        var owned = OwnedBy("ReplicaSet", ns, "Deployment", name);
        var active = owned.FirstOrDefault(rs => rs["spec"]!["replicas"]!.GetValue<int>() > 0);
        var target = owned.FirstOrDefault(rs => rs["metadata"]!["labels"]![KubernetesObjects.PodTemplateHashLabel]!.GetValue<string>() == hash);
        var nextRevision = owned.Select(KubernetesObjects.Revision).DefaultIfEmpty(0).Max() + 1;
        if (target is null)
        {
            target = ReplicaSetObject(deployment, template, hash, nextRevision);
            Put(target);
            owned.Add(target);
        }
        else if (target != active)
        {
            target["metadata"]!["annotations"]![KubernetesObjects.RevisionAnnotation] = nextRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Scale the old ReplicaSets down first, so the scheduler places the new pods among what stays.
        foreach (var rs in owned.OrderBy(rs => rs == target))
        {
            rs["spec"]!["replicas"] = rs == target ? deployment["spec"]!["replicas"]!.GetValue<int>() : 0;
            ReconcileReplicaSet(rs);
        }

        deployment["metadata"]!["annotations"]![KubernetesObjects.RevisionAnnotation] = target["metadata"]!["annotations"]![KubernetesObjects.RevisionAnnotation]!.GetValue<string>();
        if (active is not null && active != target)
        {
            var before = active["spec"]!["template"]!;
            _rollouts.Add(new Rollout(name, Image(before), Image(template), actor, _clock.GetUtcNow(), Config(before), Config(template)));
        }
    }

    private void ReconcileReplicaSet(JsonObject rs)
    {
        var ns = KubernetesObjects.Namespace(rs)!;
        var name = KubernetesObjects.Name(rs);
        var want = rs["spec"]!["replicas"]!.GetValue<int>();
        var pods = OwnedBy("Pod", ns, "ReplicaSet", name);
        foreach (var extra in pods.Skip(want))
        {
            _objects.Remove(Key("Pod", ns, KubernetesObjects.Name(extra)));
        }

        for (var i = pods.Count; i < want; i++)
        {
            var template = rs["spec"]!["template"]!.AsObject();
            Put(PodObject(ns, $"{name}-{RandomSuffix(5)}", template, ("ReplicaSet", rs)));
        }
    }

    /// <summary>The StatefulSet controller: pods NAME-0 .. NAME-(n-1).</summary>
    private void ReconcileStatefulSet(string ns, string name)
    {
        var set = Find("StatefulSet", ns, name);
        var want = set["spec"]!["replicas"]!.GetValue<int>();
        var template = set["spec"]!["template"]!.AsObject();
        for (var i = 0; i < want; i++)
        {
            if (!_objects.ContainsKey(Key("Pod", ns, $"{name}-{i}")))
            {
                Put(PodObject(ns, $"{name}-{i}", template, ("StatefulSet", set)));
            }
        }

        foreach (var extra in OwnedBy("Pod", ns, "StatefulSet", name).Where(p => Ordinal(p) >= want))
        {
            _objects.Remove(Key("Pod", ns, KubernetesObjects.Name(extra)));
        }
    }

    private void RestartStatefulSet(string ns, string name, string actor)
    {
        var pods = OwnedBy("Pod", ns, "StatefulSet", name);
        var oldImage = pods.Select(p => p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()).FirstOrDefault() ?? "";
        foreach (var pod in pods)
        {
            _objects.Remove(Key("Pod", ns, KubernetesObjects.Name(pod)));
        }

        ReconcileStatefulSet(ns, name);
        _rollouts.Add(new Rollout(name, oldImage, Image(Find("StatefulSet", ns, name)["spec"]!["template"]!), actor, _clock.GetUtcNow()));
    }

    private void RemovePod(JsonObject pod)
    {
        var ns = KubernetesObjects.Namespace(pod)!;
        _objects.Remove(Key("Pod", ns, KubernetesObjects.Name(pod)));
        if (KubernetesObjects.Owner(pod, "ReplicaSet") is { } rs)
        {
            ReconcileReplicaSet(Find("ReplicaSet", ns, rs));
        }
        else if (KubernetesObjects.Owner(pod, "StatefulSet") is { } set)
        {
            ReconcileStatefulSet(ns, set);
        }
    }

    /// <summary>The scheduler: a schedulable node with the fewest pods of the service, then the fewest pods.</summary>
    private string? PickNode(string service)
    {
        var pods = _objects.Where(o => o.Key.Kind == "Pod").Select(o => o.Value).ToList();
        return _objects.Where(o => o.Key.Kind == "Node" && o.Value["spec"]?["unschedulable"]?.GetValue<bool>() != true)
            .Select(o => o.Key.Name)
            .OrderBy(n => pods.Count(p => NodeOf(p) == n && p["metadata"]!["labels"]![AppLabel]!.GetValue<string>() == service))
            .ThenBy(n => pods.Count(p => NodeOf(p) == n))
            .ThenBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private List<JsonObject> OwnedBy(string kind, string ns, string ownerKind, string owner) =>
        _objects.Where(o => o.Key.Kind == kind && o.Key.Namespace == ns && KubernetesObjects.Owner(o.Value, ownerKind) == owner)
            .OrderBy(o => o.Key.Name, StringComparer.Ordinal)
            .Select(o => o.Value)
            .ToList();

    private static string? NodeOf(JsonObject pod) => pod["spec"]?["nodeName"]?.GetValue<string>();

    private static int Ordinal(JsonObject pod) =>
        int.Parse(KubernetesObjects.Name(pod).AsSpan(KubernetesObjects.Name(pod).LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture);

    private static string Image(JsonNode template) => template["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    /// <summary>The environment variable that carries a workload's configuration revision.</summary>
    private const string ConfigVariable = "MEDIC_SIM_CONFIG";

    /// <summary>The configuration revision a pod template (or a pod) carries; "" for none.</summary>
    private static string Config(JsonNode template) =>
        template["spec"]!["containers"]![0]!["env"]?.AsArray().FirstOrDefault(e => e?["name"]?.GetValue<string>() == ConfigVariable)?["value"]?.GetValue<string>() ?? "";

    /// <summary>A pod-template-hash in the Kubernetes style: 10 characters from a vowel-free alphabet.</summary>
    private static string TemplateHash(JsonObject template)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString()));
        return new string(bytes.Take(10).Select(b => Alphabet[b % Alphabet.Length]).ToArray());
    }
}
