using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Cli;

/// <summary><c>medic playbook test</c> on the article's playbook, as the decision issue's acceptance names it.</summary>
public sealed class PlaybookTestCommandTests : IDisposable
{
    private static readonly string Article = Path.Combine(RepoPaths.Playbooks, "k8s-pod-oom-restart-v1.yaml");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_OOM_kill_of_a_stateless_pod_at_98_percent_matches_with_both_steps_rendered_and_a_verdict()
    {
        var (exit, stdout, json) = await TestAsync(0.98, "stateless");

        Assert.Equal(0, exit);
        Assert.Contains("playbook k8s-pod-oom-restart-v1", stdout, StringComparison.Ordinal);
        Assert.True(json["matched"]!.GetValue<bool>());
        var steps = json["steps"]!.AsArray();
        Assert.Equal(["get-pod-details", "restart-deployment"], steps.Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.False(s!["gated"]!.GetValue<bool>()));
        Assert.Equal("checkout-7d9f8b6c5-x2x9z", steps[0]!["rendered"]!["name"]!.GetValue<string>());
        Assert.StartsWith("(pending until the run: {{ outputs['get-pod-details']", steps[1]!["rendered"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("L1", json["verdict"]!["level"]!.GetValue<string>());
        Assert.True(json["verdict"]!["requires_approval"]!.GetValue<bool>());
        Assert.NotEmpty(json["verdict"]!["reasons"]!.AsArray());
        Assert.NotEmpty(json["reasons"]!.AsArray());
    }

    [Fact]
    public async Task At_90_percent_the_restart_step_is_gated()
    {
        var (_, _, json) = await TestAsync(0.90, "stateless");

        Assert.True(json["matched"]!.GetValue<bool>());
        Assert.False(json["steps"]![0]!["gated"]!.GetValue<bool>());
        Assert.True(json["steps"]![1]!["gated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_stateful_service_does_not_match_and_the_reason_says_so()
    {
        var (exit, stdout, json) = await TestAsync(0.98, "stateful");

        Assert.Equal(0, exit);
        Assert.False(json["matched"]!.GetValue<bool>());
        Assert.Contains(json["reasons"]!.AsArray(), r => r!.GetValue<string>() == "fails: service.tags not_contains 'stateful' (service.tags is ['stateful'])");
        Assert.Contains("does not match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_event_file_is_refused_plainly()
    {
        var eventFile = _dir.File("event.json");
        await File.WriteAllTextAsync(eventFile, "{not json");
        var (exit, _, errors) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "playbook", "test", Article, "--event", eventFile);

        Assert.Equal(1, exit);
        Assert.Contains($"cannot read the event {eventFile}", errors, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Stdout, JsonNode Json)> TestAsync(double confidence, string tag)
    {
        var eventFile = _dir.File("event.json");
        var jsonFile = _dir.File("out.json");
        var score = confidence.ToString("0.00", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(
            eventFile,
            "{\"anomaly\":{\"source\":\"kubernetes\",\"type\":\"PodOOMKilled\",\"confidence_score\":" + score
            + ",\"entity\":{\"pod_name\":\"checkout-7d9f8b6c5-x2x9z\",\"namespace\":\"shop\"}},\"service\":{\"name\":\"checkout\",\"tags\":[\"" + tag + "\"]}}");
        var (exit, stdout, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "playbook", "test", Article, "--event", eventFile, "--at", "2026-11-24T10:00:00Z", "--json", jsonFile);
        Assert.True(exit == 0, stderr);
        return (exit, stdout, JsonNode.Parse(await File.ReadAllTextAsync(jsonFile))!);
    }
}
