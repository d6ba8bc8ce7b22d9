using System.Net;
using System.Net.Http.Json;
using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Apis;

/// <summary>The playbook repository as the server serves it: a broken file does not stop the others.</summary>
public sealed class PlaybooksApiTests : IAsyncLifetime
{
    private readonly TempDirectory _playbooks = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Playbooks, "*.yaml"))
        {
            File.Copy(file, _playbooks.File(Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(_playbooks.File("broken.yaml"), "playbook_id: broken\ntrigger: {bigger: [{a: 1}]}\nactions: [{name: a, type: kubernetes_api_call}]\n");
        _server = await TestServer.StartAsync(_playbooks.Path);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _playbooks.Dispose();
    }

    [Fact]
    public async Task The_server_serves_the_valid_playbooks_and_lists_the_errors_of_the_broken_one()
    {
        var list = await _server.GetJsonAsync("/api/v1/playbooks");

        Assert.Equal(3, list["playbooks"]!.AsArray().Count);
        Assert.Equal("broken.yaml:2:11: trigger.bigger: unknown operator 'bigger'; expected one of: and, or, not, equals, not_equals, contains, not_contains, greater_than, less_than, in, matches, exists", list["errors"]![0]!.GetValue<string>());
        Assert.StartsWith("dir:", list["revision"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_picks_up_edits_and_a_broken_edit_keeps_the_last_good_version()
    {
        var rollback = _playbooks.File("k8s-deploy-rollback-v1.yaml");
        await File.WriteAllTextAsync(rollback, (await File.ReadAllTextAsync(rollback)).Replace("priority: 10", "priority: 20", StringComparison.Ordinal));
        var reloaded = await (await _server.Http.PostAsync("/api/v1/playbooks/reload", null)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal(20, reloaded!["playbooks"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "k8s-deploy-rollback-v1")!["priority"]!.GetValue<int>());

        await File.WriteAllTextAsync(rollback, "playbook_id: k8s-deploy-rollback-v1\n");
        var after = await (await _server.Http.PostAsync("/api/v1/playbooks/reload", null)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal(20, after!["playbooks"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "k8s-deploy-rollback-v1")!["priority"]!.GetValue<int>());
        Assert.Contains(after["errors"]!.AsArray(), e => e!.GetValue<string>().Contains("the last good version of k8s-deploy-rollback-v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_playbook_has_its_own_kill_switch()
    {
        var set = await _server.Http.PostAsJsonAsync("/api/v1/playbooks/k8s-deploy-rollback-v1/killswitch", new { engaged = true, by = "sre", reason = "flapping" });
        set.EnsureSuccessStatusCode();

        Assert.True((await _server.GetJsonAsync("/api/v1/playbooks/k8s-deploy-rollback-v1/killswitch"))["engaged"]!.GetValue<bool>());
        Assert.False((await _server.GetJsonAsync("/api/v1/killswitch"))["engaged"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/v1/playbooks/nope/killswitch")).StatusCode);
    }

    [Fact]
    public async Task A_playbook_can_be_tried_against_an_event_without_running_anything()
    {
        var response = await _server.Http.PostAsJsonAsync("/api/v1/playbooks/k8s-pod-oom-restart-v1/test", new
        {
            anomaly = new { source = "kubernetes", type = "PodOOMKilled", confidence_score = 0.98, entity = new { pod_name = "cart-1", @namespace = "shop" } },
            service = new { name = "cart", tags = new[] { "stateless" } },
        });
        var outcome = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();

        Assert.True(outcome!["matched"]!.GetValue<bool>());
        Assert.Equal("L1", outcome["verdict"]!["level"]!.GetValue<string>());
        Assert.Equal(2, outcome["steps"]!.AsArray().Count);
    }
}
