using System.Text.Json.Nodes;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Sim.Cluster;

/// <summary>JSON patch (RFC 6902): the add, replace and remove operations, on object members.</summary>
internal static class JsonPatch
{
    public static void Apply(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            var op = operation?["op"]?.GetValue<string>();
            var path = operation?["path"]?.GetValue<string>() ?? "";
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            if (parts.Count == 0)
            {
                throw new KubernetesApiException(422, $"the JSON patch path '{path}' names no member");
            }

            var parent = parts.SkipLast(1).Aggregate((JsonNode?)target, (node, part) => node?[part]) as JsonObject
                ?? throw new KubernetesApiException(422, $"the JSON patch path '{path}' does not exist");
            switch (op)
            {
                case "add" or "replace":
                    parent[parts[^1]] = operation!["value"]?.DeepClone();
                    break;
                case "remove":
                    parent.Remove(parts[^1]);
                    break;
                default:
                    throw new KubernetesApiException(422, $"the simulated cluster does not support the JSON patch operation '{op}'");
            }
        }
    }
}
