using Medic.Tests.Support;

namespace Medic.Tests.Cli;

/// <summary><c>medic approve</c>, <c>medic reject</c>, <c>medic killswitch</c> and <c>medic train</c> against a running server.</summary>
public sealed class ServerCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Approve_by_decision_id_runs_the_decision()
    {
        var id = await _server.PendingDecisionAsync("i1", []);

        var (exit, stdout, stderr) = await Medic("approve", id, "--by", "alice", "--note", "checked the graphs");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("approved: playbook k8s-pod-oom-restart-v1 on incident i1", stdout, StringComparison.Ordinal);
        Assert.Equal("approved", (await _server.GetJsonAsync($"/api/v1/decisions/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_person_approval_from_the_command_line()
    {
        var id = await _server.PendingDecisionAsync("i2", [], approvalsRequired: 2);

        var (first, firstOut, _) = await Medic("approve", "i2", "--by", "alice");
        var (again, _, againErr) = await Medic("approve", "i2", "--by", "alice");
        var (second, secondOut, _) = await Medic("approve", "i2", "--by", "bob");

        Assert.Equal((0, 1, 0), (first, again, second));
        Assert.StartsWith("awaiting_approval: playbook k8s-pod-oom-restart-v1 on incident i2 (1 of 2", firstOut, StringComparison.Ordinal);
        Assert.Contains("409", againErr, StringComparison.Ordinal);
        Assert.StartsWith("approved:", secondOut, StringComparison.Ordinal);
        Assert.Equal("approved", (await _server.GetJsonAsync($"/api/v1/decisions/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reject_needs_a_reason_and_escalates()
    {
        await _server.PendingDecisionAsync("i3", []);

        var (missing, _, missingErr) = await Medic("reject", "i3", "--by", "alice");
        var (exit, stdout, _) = await Medic("reject", "i3", "--by", "alice", "--reason", "the leak needs a fix, not a restart");

        Assert.NotEqual(0, missing);
        Assert.Contains("--reason", missingErr, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.StartsWith("rejected:", stdout, StringComparison.Ordinal);
        Assert.Equal("escalated", (await _server.GetJsonAsync("/api/v1/incidents/i3"))["incident"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_kill_switch_from_the_command_line_globally_and_per_playbook()
    {
        var (on, onOut, _) = await Medic("killswitch", "on", "--by", "sre", "--reason", "game day");
        var (status, statusOut, _) = await Medic("killswitch", "status");
        var (playbook, _, _) = await Medic("killswitch", "on", "--playbook", "k8s-deploy-rollback-v1", "--by", "sre");
        var (off, offOut, _) = await Medic("killswitch", "off", "--by", "sre");

        Assert.Equal((0, 0, 0, 0), (on, status, playbook, off));
        Assert.Equal("kill switch ON (api; by sre: game day)", onOut.Trim());
        Assert.Equal("kill switch ON (api; by sre: game day)", statusOut.Trim());
        Assert.Equal("kill switch off", offOut.Trim());
        Assert.True((await _server.GetJsonAsync("/api/v1/playbooks/k8s-deploy-rollback-v1/killswitch"))["engaged"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Train_runs_the_training_job_on_the_server_and_says_what_it_could_not_do()
    {
        var (exit, stdout, stderr) = await Medic("train", "--since", "12h");
        var (bad, _, badErr) = await Medic("train", "--since", "ages");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("trained on the history since ", stdout, StringComparison.Ordinal);
        Assert.Contains("rca calibration: 0 diagnosed real incidents with a confirmed root cause", stdout, StringComparison.Ordinal);
        Assert.Contains("detectors: none has a training window here", stdout, StringComparison.Ordinal);
        Assert.Contains("detectors' precision: no feedback in that time", stdout, StringComparison.Ordinal);
        Assert.Equal(1, bad);
        Assert.Contains("since 'ages' is not a duration", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_server_the_command_says_how_to_point_at_one()
    {
        var (exit, _, stderr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "approve", "x", "--server", "http://127.0.0.1:9");
        Assert.Equal(1, exit);
        Assert.Contains("cannot reach the Medic server at http://127.0.0.1:9/", stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Errors)> Medic(params string[] args) =>
        MedicProcess.RunAsync(TimeSpan.FromMinutes(1), [.. args, "--server", _server.Address.ToString()]);
}
