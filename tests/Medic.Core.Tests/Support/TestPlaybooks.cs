using Medic.Core.Playbooks;
using Medic.Testing;

namespace Medic.Core.Tests.Support;

/// <summary>Playbooks for tests: the shipped ones, and small ones written inline.</summary>
internal static class TestPlaybooks
{
    public static Playbook Shipped(string file)
    {
        var (playbook, errors) = PlaybookLoader.Parse(File.ReadAllText(Path.Combine(RepoPaths.Playbooks, file)), file);
        Assert.Empty(errors);
        return playbook!;
    }

    public static Playbook Article => Shipped("k8s-pod-oom-restart-v1.yaml");

    /// <summary>A playbook from YAML; fails the test with the errors when it does not load.</summary>
    public static Playbook Parse(string yaml)
    {
        var (playbook, errors) = PlaybookLoader.Parse(yaml, "test.yaml");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return playbook!;
    }

    /// <summary>A one-step playbook with the given safety block (YAML lines under 'safety:').</summary>
    public static Playbook WithSafety(string safety, string verb = "rollout_restart", string replicas = "1")
    {
        var block = safety.Length == 0 ? "" : "safety:\n" + string.Join('\n', safety.Split('\n').Select(l => "  " + l));
        return Parse($"""
            playbook_id: p
            trigger: {"{exists: anomaly.type}"}
            actions:
              - name: act
                type: kubernetes_api_call
                params: {"{"}verb: {verb}, resource: deployment, name: cart, namespace: shop, replicas: "{replicas}"{"}"}
            {block}
            """);
    }
}
