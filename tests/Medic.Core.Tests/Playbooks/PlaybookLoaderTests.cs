using Medic.Core.Playbooks;
using Medic.Core.Playbooks.Conditions;
using Medic.Core.Workflows;
using Medic.Core.Workflows.Kubernetes;
using Medic.Testing;

namespace Medic.Core.Tests.Playbooks;

public sealed class PlaybookLoaderTests
{
    /// <summary>The seed article's playbook, exactly as the article prints it.</summary>
    private const string ArticlePlaybook = """
        playbook_id: k8s-pod-oom-restart-v1
        description: "Restarts a pod upon OOMKilled event if it's a stateless service"
        trigger:
          and:
            - equals:
                - anomaly.source: "kubernetes"
                - anomaly.type: "PodOOMKilled"
            - not_contains:
                - service.tags: "stateful"
        actions:
          - name: "get-pod-details"
            type: "kubernetes_api_call"
            params:
              verb: "get"
              resource: "pod"
              name: "{{ anomaly.entity.pod_name }}"
              namespace: "{{ anomaly.entity.namespace }}"
          - name: "restart-deployment"
            type: "kubernetes_api_call"
            params:
              verb: "rollout_restart"
              resource: "deployment"
              name: "{{ outputs['get-pod-details'].metadata.ownerReferences[0].name }}"
              namespace: "{{ anomaly.entity.namespace }}"
            condition:
              greater_than:
                - anomaly.confidence_score: 0.95
        notify:
          - channel: "slack"
            template: "Playbook {{ playbook_id }} executed for pod {{ anomaly.entity.pod_name }}. Pod was OOMKilled."

        """;

    private static readonly Dictionary<string, ParameterCheck> KnownTypes = new(StringComparer.Ordinal) { ["kubernetes_api_call"] = KubernetesCallProvider.Shape };

    [Fact]
    public void Shipped_OOM_playbook_is_the_article_text_unchanged()
    {
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Playbooks, "k8s-pod-oom-restart-v1.yaml"));
        Assert.Equal(ArticlePlaybook, shipped);
    }

    [Fact]
    public void The_documented_example_loads()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "playbooks.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var (playbook, errors) = PlaybookLoader.Parse(example, "docs/playbooks.md", KnownTypes);

        Assert.True(playbook is not null, string.Join("\n", errors));
        Assert.Equal(["drain-node"], playbook.FallbackSteps);
    }

    [Fact]
    public void Article_playbook_loads_with_its_trigger_steps_and_notification()
    {
        var (playbook, errors) = PlaybookLoader.Parse(ArticlePlaybook, "article.yaml", KnownTypes);

        Assert.Empty(errors);
        Assert.NotNull(playbook);
        Assert.Equal("k8s-pod-oom-restart-v1", playbook.Id);
        Assert.Equal(["get-pod-details", "restart-deployment"], playbook.Actions.Select(a => a.Name));
        Assert.Null(playbook.Actions[0].Condition);
        Assert.IsType<Comparison>(playbook.Actions[1].Condition);
        Assert.Equal("{{ outputs['get-pod-details'].metadata.ownerReferences[0].name }}", playbook.Actions[1].Params["name"]);
        Assert.Equal(new NotifySpec("slack", "Playbook {{ playbook_id }} executed for pod {{ anomaly.entity.pod_name }}. Pod was OOMKilled."), playbook.Notify.Single());
        Assert.Null(playbook.Safety.AutomationLevel);
    }

    [Fact]
    public void Every_shipped_playbook_loads()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Playbooks, "*.yaml"))
        {
            var (playbook, errors) = PlaybookLoader.Parse(File.ReadAllText(file), Path.GetFileName(file), KnownTypes);
            Assert.True(playbook is not null, string.Join("\n", errors));
        }
    }

    [Theory]
    [InlineData("description: x\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\n", "bad.yaml:1:1: 'playbook_id' is required")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\nretry: 3\n", "bad.yaml:4:1: retry: unknown field 'retry'; expected one of: playbook_id, description, priority, trigger, condition, actions, notify, safety")]
    [InlineData("playbook_id: p\ntrigger: {bigger: [{a: 1}]}\nactions: [{name: a, type: kubernetes_api_call}]\n", "bad.yaml:2:11: trigger.bigger: unknown operator 'bigger'; expected one of: and, or, not, equals, not_equals, contains, not_contains, greater_than, less_than, in, matches, exists")]
    [InlineData("playbook_id: p\ntrigger: {greater_than: [{a: high}]}\nactions: [{name: a, type: kubernetes_api_call}]\n", "bad.yaml:2:30: trigger.greater_than.a: 'greater_than' compares with a number")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: ssh}]\n", "bad.yaml:3:27: actions[0].type: unknown action type 'ssh'; known: kubernetes_api_call")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions:\n  - {name: a, type: kubernetes_api_call}\n  - {name: a, type: kubernetes_api_call}\n", "bad.yaml:5:12: actions[1].name: step name 'a' is used twice; later steps refer to steps by name")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call, params: {name: \"{{ a. }}\"}}]\n", "bad.yaml:3:63: actions[0].params: template does not parse: ")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call, timeout: soon}]\n", "bad.yaml:3:57: actions[0].timeout: 'soon' is not a duration; write e.g. 30s, 5m or 1h")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\nsafety: {automation_level: L9}\n", "bad.yaml:4:28: safety.automation_level: 'L9' is not an automation level; use L1 (approve first), L2 (act in allowed windows) or L3 (act)")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: []\n", "bad.yaml:3:10: actions: 'actions' is required: a non-empty list of steps")]
    [InlineData("playbook_id: [p\n", "bad.yaml:2:1: not valid YAML: ")]
    public void Invalid_playbook_is_rejected_with_the_place_and_the_fix(string yaml, string expected)
    {
        var (playbook, errors) = PlaybookLoader.Parse(yaml, "bad.yaml", KnownTypes);

        Assert.Null(playbook);
        Assert.Contains(errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{verb: restart, resource: deployment, name: cart, namespace: shop}", "actions[0].params.verb: 'restart' is not a verb; use one of get, list, rollout_restart")]
    [InlineData("{verb: get, resource: pod, name: cart, namespace: shop, namspace: x}", "actions[0].params.namspace: unknown parameter; kubernetes_api_call takes verb")]
    [InlineData("{verb: drain, resource: deployment, name: cart}", "actions[0].params.resource: 'drain' works on node, not deployment")]
    [InlineData("{verb: scale, resource: deployment, name: cart, namespace: shop, replicas: many}", "actions[0].params.replicas: scale needs a whole number of replicas, got 'many'")]
    public void A_step_s_parameters_are_checked_by_its_provider_at_load(string parameters, string expected)
    {
        var (playbook, errors) = PlaybookLoader.Parse($"playbook_id: p\ntrigger: {{exists: a}}\nactions:\n  - {{name: a, type: kubernetes_api_call, params: {parameters}}}\n", "p.yaml", KnownTypes);

        Assert.Null(playbook);
        Assert.Contains(errors, e => e.ToString().StartsWith($"p.yaml:4:", StringComparison.Ordinal) && e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_parameter_that_holds_a_template_is_left_to_the_run()
    {
        var (playbook, errors) = PlaybookLoader.Parse(
            "playbook_id: p\ntrigger: {exists: a}\nactions:\n  - {name: a, type: kubernetes_api_call, params: {verb: scale, resource: deployment, name: cart, namespace: shop, replicas: '{{ anomaly.value }}'}}\n",
            "p.yaml",
            KnownTypes);

        Assert.Empty(errors);
        Assert.NotNull(playbook);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_together()
    {
        var (_, errors) = PlaybookLoader.Parse("trigger: {nope: 1}\nactions: [{type: ssh}]\n", "bad.yaml", KnownTypes);

        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData("- {name: a, type: t, depends_on: b}\n- {name: b, type: t, depends_on: a}", "actions: depends_on forms a cycle; each step must be able to run after the steps it depends on")]
    [InlineData("- {name: a, type: t, depends_on: z}", "actions[0].depends_on: no step is named 'z'; steps: a")]
    [InlineData("- {name: a, type: t, on_failure: a}", "actions[0].on_failure: step 'a' cannot refer to itself")]
    [InlineData("- {name: a, type: t, on_failure: b}\n- {name: b, type: t}\n- {name: c, type: t, depends_on: b}", "actions[2].depends_on: 'b' is a fallback (named in an on_failure) and runs only when its step fails; depend on that step instead")]
    [InlineData("- {name: a, type: t, retries: 99}", "actions[0].retries: '99' is not a whole number from 0 to 10")]
    [InlineData("- {name: a, type: t, params: {n: '{{ anomly.type }}'}}", "actions[0].params: '{{ anomly.type }}': there is no variable 'anomly'; templates can read anomaly, service, diagnosis, change, incident, environment, playbook_id, run_id, outputs")]
    [InlineData("- {name: a, type: t, params: {n: \"{{ outputs['b'].x }}\"}}\n- {name: b, type: t}", "actions[0].params: outputs['b'] is not the output of a step that runs before this one; depend on it, or move it earlier")]
    public void Step_references_and_templates_are_checked_at_load(string steps, string expected)
    {
        var indented = string.Join('\n', steps.Split('\n').Select(l => "  " + l));
        var (playbook, errors) = PlaybookLoader.Parse($"playbook_id: p\ntrigger: {{exists: a}}\nactions:\n{indented}\n", "p.yaml");

        Assert.Null(playbook);
        Assert.Contains(expected, errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void A_later_step_may_read_an_earlier_steps_output_and_fallbacks_may_read_their_step()
    {
        var (playbook, errors) = PlaybookLoader.Parse("""
            playbook_id: p
            trigger: {exists: a}
            actions:
              - {name: get, type: t}
              - {name: restart, type: t, params: {n: "{{ outputs['get'].name }}"}, on_failure: [drain]}
              - {name: drain, type: t, params: {n: "{{ outputs['get'].name }}"}, on_failure: page}
              - {name: page, type: t}
            """, "p.yaml");

        Assert.Empty(errors);
        Assert.Equal(["get", "restart"], StepGraph.Order(playbook!.Actions));
        Assert.Equal(["drain", "page"], playbook.FallbackSteps.Order());
    }

    [Fact]
    public void Safety_settings_are_read_and_checked()
    {
        var (playbook, _) = PlaybookLoader.Parse("""
            playbook_id: p
            trigger: {exists: a}
            actions: [{name: a, type: t}]
            safety:
              automation_level: L2
              confidence_threshold: 0.9
              risk: high
              blast_radius: {max_concurrent_runs: 1, max_actions_per_hour: 2, max_replica_fraction: 0.25}
              approvers: [sre-oncall]
              two_person_approval: true
              windows: business-hours
              dry_run: true
            """, "p.yaml");

        var safety = playbook!.Safety;
        Assert.Equal((Medic.Core.Policy.AutomationLevel.L2, 0.9, Medic.Core.Policy.Risk.High), (safety.AutomationLevel!.Value, safety.ConfidenceThreshold!.Value, safety.Risk!.Value));
        Assert.Equal((1, 2, 0.25), (safety.BlastRadius.MaxConcurrentRuns!.Value, safety.BlastRadius.MaxActionsPerHour!.Value, safety.BlastRadius.MaxReplicaFraction!.Value));
        Assert.True(safety.TwoPersonApproval && safety.DryRun);
        Assert.Equal(["business-hours"], safety.Windows);

        var (_, errors) = PlaybookLoader.Parse("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: t}]\nsafety: {risk: extreme, confidence_threshold: 2}\n", "p.yaml");
        Assert.Equal(["safety.confidence_threshold: '2' is not a number from 0 to 1", "safety.risk: 'extreme' is not a risk; use low, medium, high or critical"], errors.Select(e => $"{e.Path}: {e.Message}").Order());
    }
}
