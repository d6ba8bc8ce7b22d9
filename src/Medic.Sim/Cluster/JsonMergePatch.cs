using System.Text.Json.Nodes;

namespace Medic.Sim.Cluster;

/// <summary>JSON merge patch (RFC 7386): objects merge, null removes, everything else replaces.</summary>
internal static class JsonMergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else if (value is JsonObject newObject)
            {
                var created = new JsonObject();
                Apply(created, newObject);
                target[key] = created;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
