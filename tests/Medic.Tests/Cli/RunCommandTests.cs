using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Cli;

/// <summary><c>medic run</c> as a user runs it: a real process, real shell steps.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RunCommandTests()
    {
        File.WriteAllText(_dir.File("medic.yaml"), $"""
            data: {_dir.File("medic.db")}
            actions:
              shell: {"{"}allow: [/usr/bin/printf, /bin/false]{"}"}
            """);
        File.WriteAllText(_dir.File("event.json"), """{"anomaly": {"type": "PodOOMKilled"}, "service": {"name": "cart; rm -rf /"}}""");
        File.WriteAllText(_dir.File("ok.yaml"), """
            playbook_id: say-hello
            trigger: {exists: anomaly.type}
            actions:
              - {name: greet, type: shell, params: {command: [/usr/bin/printf, "%s", "{{ service.name }}"]}}
              - {name: echo, type: shell, params: {command: [/usr/bin/printf, "again %s", "{{ outputs['greet'].stdout }}"]}}
            """);
        File.WriteAllText(_dir.File("fails.yaml"), """
            playbook_id: fails
            trigger: {exists: anomaly.type}
            actions:
              - {name: nope, type: shell, params: {command: [/bin/false]}}
              - {name: never, type: shell, params: {command: [/usr/bin/printf, x]}}
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_run_prints_its_id_then_each_step_and_exits_zero_on_success()
    {
        var (exit, output, errors) = await RunAsync("ok.yaml");

        Assert.True(exit == 0, output + errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^run [0-9a-f]{32} started: say-hello for incident [0-9a-f]{32}$", lines[0]);
        Assert.Equal("  greet (shell): succeeded — /usr/bin/printf exited with 0", lines[1]);
        Assert.Contains("\"stdout\":\"cart; rm -rf /\"", lines[2], StringComparison.Ordinal);
        Assert.Equal("  echo (shell): succeeded — /usr/bin/printf exited with 0", lines[3]);
        Assert.Matches("^run [0-9a-f]{32}: succeeded$", lines[^1]);
    }

    [Fact]
    public async Task A_failed_step_stops_the_run_and_exits_one()
    {
        var (exit, output, _) = await RunAsync("fails.yaml");

        Assert.Equal(1, exit);
        Assert.Contains("  nope (shell): failed — /bin/false exited with 1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("never (shell)", output, StringComparison.Ordinal);
        Assert.Contains("failed (step 'nope' failed: /bin/false exited with 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_prints_the_rendered_steps_and_runs_nothing()
    {
        var (exit, output, _) = await RunAsync("fails.yaml", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("dry run of fails: nothing is executed", output, StringComparison.Ordinal);
        Assert.Contains("  nope (shell): dry run: would run {\"command\":[\"/bin/false\"]}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_kill_switch_on_nothing_runs()
    {
        await File.WriteAllTextAsync(_dir.File("KILLSWITCH"), "game day");

        var (exit, output, errors) = await RunAsync("ok.yaml");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("medic run: the kill switch is on", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_playbook_or_event_is_refused_with_where_and_why()
    {
        await File.WriteAllTextAsync(_dir.File("broken.yaml"), "playbook_id: x\nactions: []\n");
        await File.WriteAllTextAsync(_dir.File("bad.json"), "[1, 2]");

        var broken = await RunAsync("broken.yaml");
        var badEvent = await MedicProcess.RunAsync(TimeSpan.FromMinutes(2), "run", _dir.File("ok.yaml"), "--event", _dir.File("bad.json"), "--config", _dir.File("medic.yaml"));

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("'trigger' is required", broken.Errors, StringComparison.Ordinal);
        Assert.Equal(1, badEvent.ExitCode);
        Assert.Contains("cannot read the event", badEvent.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_parameter_is_an_error_in_the_file_before_anything_runs()
    {
        await File.WriteAllTextAsync(_dir.File("typo.yaml"), """
            playbook_id: typo
            trigger: {exists: anomaly.type}
            actions:
              - {name: greet, type: shell, params: {comand: [/usr/bin/printf, hi]}}
            """);

        var (exit, output, errors) = await RunAsync("typo.yaml");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("typo.yaml:4:", errors, StringComparison.Ordinal);
        Assert.Contains("actions[0].params.comand: unknown parameter; shell takes command, env and working_dir", errors, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Errors)> RunAsync(string playbook, params string[] extra) =>
        MedicProcess.RunAsync(TimeSpan.FromMinutes(2), ["run", _dir.File(playbook), "--event", _dir.File("event.json"), "--config", _dir.File("medic.yaml"), .. extra]);
}
