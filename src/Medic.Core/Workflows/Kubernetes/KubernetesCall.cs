using System.Globalization;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>The validated parameters of a <c>kubernetes_api_call</c> step.</summary>
/// <param name="Verb">What to do.</param>
/// <param name="Kind">The object kind, e.g. <c>Deployment</c>.</param>
/// <param name="Name">The object's name (null for list).</param>
/// <param name="Namespace">The namespace (null for nodes).</param>
/// <param name="Replicas">The replica count, for scale.</param>
public sealed record KubernetesCall(string Verb, string Kind, string? Name, string? Namespace, int? Replicas)
{
    /// <summary>The patch body, for patch.</summary>
    public System.Text.Json.Nodes.JsonNode? Patch { get; init; }

    /// <summary>The patch format, for patch. Default: strategic merge, as <c>kubectl patch</c>.</summary>
    public PatchType PatchType { get; init; } = PatchType.StrategicMerge;

    /// <summary>The verbs and the kinds each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Verbs = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["get"] = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Node"],
        ["list"] = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Node"],
        ["rollout_restart"] = ["Deployment", "StatefulSet"],
        ["scale"] = ["Deployment", "StatefulSet"],
        ["rollback"] = ["Deployment"],
        ["cordon"] = ["Node"],
        ["uncordon"] = ["Node"],
        ["drain"] = ["Node"],
        ["delete_pod"] = ["Pod"],
        ["patch"] = ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Node"],
    };

    private static readonly Dictionary<string, PatchType> PatchTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["strategic"] = PatchType.StrategicMerge,
        ["merge"] = PatchType.Merge,
        ["json"] = PatchType.Json,
    };

    private static readonly Dictionary<string, string> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pod"] = "Pod", ["pods"] = "Pod", ["po"] = "Pod",
        ["deployment"] = "Deployment", ["deployments"] = "Deployment", ["deploy"] = "Deployment",
        ["replicaset"] = "ReplicaSet", ["replicasets"] = "ReplicaSet", ["rs"] = "ReplicaSet",
        ["statefulset"] = "StatefulSet", ["statefulsets"] = "StatefulSet", ["sts"] = "StatefulSet",
        ["daemonset"] = "DaemonSet", ["daemonsets"] = "DaemonSet", ["ds"] = "DaemonSet",
        ["node"] = "Node", ["nodes"] = "Node", ["no"] = "Node",
    };

    /// <summary>Whether objects of the kind live in a namespace.</summary>
    public bool Namespaced => Kind != "Node";

    /// <summary>Validates rendered parameters; returns the call or every problem found.</summary>
    public static (KubernetesCall? Call, IReadOnlyList<string> Errors) Parse(IReadOnlyDictionary<string, object?> parameters)
    {
        var errors = new List<string>();
        string? Text(string key) => parameters.GetValueOrDefault(key) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

        var verb = Text("verb");
        var resource = Text("resource");
        var name = Text("name");
        var ns = Text("namespace");
        foreach (var key in parameters.Keys.Except(["verb", "resource", "name", "namespace", "replicas", "patch", "patch_type"]))
        {
            errors.Add($"params.{key}: unknown parameter; kubernetes_api_call takes verb, resource, name, namespace, replicas, patch and patch_type");
        }

        if (verb is null || !Verbs.TryGetValue(verb, out var kinds))
        {
            errors.Add($"params.verb: '{verb}' is not a verb; use one of {string.Join(", ", Verbs.Keys)}");
            kinds = [];
        }

        string? kind = null;
        if (resource is null || !Kinds.TryGetValue(resource, out kind))
        {
            errors.Add($"params.resource: '{resource}' is not a resource; use pod, deployment, replicaset, statefulset, daemonset or node");
        }
        else if (kinds.Length > 0 && !kinds.Contains(kind))
        {
            errors.Add($"params.resource: '{verb}' works on {string.Join(", ", kinds.Select(k => k.ToLowerInvariant()))}, not {resource}");
        }

        if (verb != "list" && string.IsNullOrWhiteSpace(name))
        {
            errors.Add("params.name: required, and it must not render empty");
        }

        if (kind is not null and not "Node" && verb != "list" && string.IsNullOrWhiteSpace(ns))
        {
            errors.Add("params.namespace: required for namespaced resources, and it must not render empty");
        }

        int? replicas = null;
        if (verb == "scale")
        {
            if (int.TryParse(Text("replicas"), NumberStyles.None, CultureInfo.InvariantCulture, out var r))
            {
                replicas = r;
            }
            else
            {
                errors.Add($"params.replicas: scale needs a whole number of replicas, got '{Text("replicas")}'");
            }
        }

        System.Text.Json.Nodes.JsonNode? patch = null;
        var patchType = PatchType.StrategicMerge;
        if (verb == "patch")
        {
            patch = Json.PlainTree.ToJson(parameters.GetValueOrDefault("patch"));
            if (patch is not (System.Text.Json.Nodes.JsonObject or System.Text.Json.Nodes.JsonArray))
            {
                errors.Add("params.patch: patch needs a patch body: a mapping (merge patches) or a list of operations (json patch)");
            }

            if (Text("patch_type") is { } typeText && !PatchTypes.TryGetValue(typeText, out patchType))
            {
                errors.Add($"params.patch_type: '{typeText}' is not a patch type; use strategic (default), merge or json");
            }
        }

        return errors.Count > 0 ? (null, errors) : (new KubernetesCall(verb!, kind!, name, ns, replicas) { Patch = patch, PatchType = patchType }, errors);
    }

    /// <summary>A display form: <c>rollout_restart deployment shop/cart</c>.</summary>
    public override string ToString() =>
        $"{Verb} {Kind.ToLowerInvariant()} {(Namespace is null ? "" : Namespace + "/")}{Name}";
}
