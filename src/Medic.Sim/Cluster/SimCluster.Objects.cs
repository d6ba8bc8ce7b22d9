using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Core.Workflows.Kubernetes;
using Medic.Sim.Estate;

namespace Medic.Sim.Cluster;

public sealed partial class SimCluster
{
    // The alphabet Kubernetes uses for generated names: no vowels, no look-alike characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Every container's memory limit.</summary>
    public const long MemoryLimitBytes = 512L << 20;

    private static JsonObject NodeObject(NodeSpec node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject
        {
            ["name"] = node.Name,
            ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = node.Name, ["topology.kubernetes.io/zone"] = node.Zone },
        },
        ["spec"] = new JsonObject(),
        ["status"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = node.Cores.ToString(CultureInfo.InvariantCulture), ["memory"] = $"{node.MemoryBytes >> 20}Mi" },
        },
    };

    private JsonObject DeploymentObject(string ns, ServiceSpec service) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(ns, service.Name, new JsonObject { [AppLabel] = service.Name, ["tier"] = service.Tier }),
        ["spec"] = new JsonObject
        {
            ["replicas"] = service.Replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [AppLabel] = service.Name } },
            ["template"] = PodTemplate(service),
        },
    };

    private JsonObject StatefulSetObject(string ns, ServiceSpec service) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "StatefulSet",
        ["metadata"] = Metadata(ns, service.Name, new JsonObject { [AppLabel] = service.Name, ["tier"] = service.Tier }),
        ["spec"] = new JsonObject
        {
            ["replicas"] = service.Replicas,
            ["serviceName"] = service.Name,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [AppLabel] = service.Name } },
            ["template"] = PodTemplate(service),
        },
    };

    private JsonObject ReplicaSetObject(JsonObject deployment, JsonObject template, string hash, long revision)
    {
        var ns = KubernetesObjects.Namespace(deployment)!;
        var name = KubernetesObjects.Name(deployment);
        var rsTemplate = template.DeepClone().AsObject();
        rsTemplate["metadata"]!["labels"]![KubernetesObjects.PodTemplateHashLabel] = hash;
        var metadata = Metadata(ns, $"{name}-{hash}", rsTemplate["metadata"]!["labels"]!.DeepClone().AsObject());
        metadata["annotations"]![KubernetesObjects.RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
        metadata["ownerReferences"] = OwnerReferences("Deployment", deployment);
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [AppLabel] = name, [KubernetesObjects.PodTemplateHashLabel] = hash } },
                ["template"] = rsTemplate,
            },
        };
    }

    private JsonObject PodObject(string ns, string name, JsonObject template, (string Kind, JsonObject Obj) owner)
    {
        var service = template["metadata"]!["labels"]![AppLabel]!.GetValue<string>();
        var metadata = Metadata(ns, name, template["metadata"]!["labels"]!.DeepClone().AsObject());
        metadata["ownerReferences"] = OwnerReferences(owner.Kind, owner.Obj);
        var spec = template["spec"]!.DeepClone().AsObject();
        var node = PickNode(service);
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        var container = spec["containers"]![0]!["name"]!.GetValue<string>();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = node is null ? "Pending" : "Running",
                ["startTime"] = Timestamp(),
                ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = container, ["ready"] = node is not null, ["restartCount"] = 0 }),
            },
        };
    }

    private static JsonObject PodTemplate(ServiceSpec service) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [AppLabel] = service.Name }, ["annotations"] = new JsonObject() },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = service.Name,
                ["image"] = $"registry.example/shop/{service.Name}:{service.Version}",
                ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = $"{MemoryLimitBytes >> 20}Mi" } },
            }),
        },
    };

    private JsonObject Metadata(string ns, string name, JsonObject labels) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["uid"] = Uid(),
        ["creationTimestamp"] = Timestamp(),
        ["labels"] = labels,
        ["annotations"] = new JsonObject(),
    };

    private static JsonArray OwnerReferences(string kind, JsonObject owner) => new(new JsonObject
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = kind,
        ["name"] = KubernetesObjects.Name(owner),
        ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });

    private string Timestamp() => _clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private string Uid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private string RandomSuffix(int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[_random.Next(Alphabet.Length)]).ToArray());
}
