using Medic.Core.Playbooks;
using Medic.Core.Playbooks.Conditions;
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

    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal) { "kubernetes_api_call" };

    [Fact]
    public void Shipped_OOM_playbook_is_the_article_text_unchanged()
    {
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Playbooks, "k8s-pod-oom-restart-v1.yaml"));
        Assert.Equal(ArticlePlaybook, shipped);
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
        var catalog = new PlaybookCatalog();
        catalog.Load(RepoPaths.Playbooks, KnownTypes);

        Assert.Empty(catalog.Errors);
        Assert.Equal(3, catalog.Playbooks.Count);
    }

    [Theory]
    [InlineData("description: x\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\n", "bad.yaml:1:1: 'playbook_id' is required")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\nretry: 3\n", "bad.yaml:4:1: retry: unknown field 'retry'; expected one of: playbook_id, description, priority, trigger, actions, notify, safety")]
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
        Assert.StartsWith(expected, errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_together()
    {
        var (_, errors) = PlaybookLoader.Parse("trigger: {nope: 1}\nactions: [{type: ssh}]\n", "bad.yaml", KnownTypes);

        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Duplicate_ids_across_files_keep_the_first_and_report_the_second()
    {
        using var dir = new TempFolder();
        File.WriteAllText(Path.Combine(dir.Path, "a.yaml"), "playbook_id: same\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\n");
        File.WriteAllText(Path.Combine(dir.Path, "b.yaml"), "playbook_id: same\ntrigger: {exists: a}\nactions: [{name: a, type: kubernetes_api_call}]\n");
        var catalog = new PlaybookCatalog();
        catalog.Load(dir.Path, KnownTypes);

        Assert.Equal("a.yaml", catalog.Playbooks.Single().Source);
        Assert.Equal("b.yaml:1:1: playbook_id: 'same' is already defined in a.yaml; ids must be unique", catalog.Errors.Single().ToString());
    }

    [Fact]
    public void Missing_directory_is_an_error_not_an_empty_catalog()
    {
        var catalog = new PlaybookCatalog();
        catalog.Load("/nonexistent/playbooks", KnownTypes);

        Assert.Contains("playbook directory does not exist", catalog.Errors.Single().Message, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("medic-playbooks-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
