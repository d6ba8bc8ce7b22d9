using Medic.Core.Decisions;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Medic.Core.Workflows;
using Medic.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Workflows;

public sealed class WorkflowRunnerTests
{
    private readonly FakeTimeProvider _clock = new(Some.Start);
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly RecordingBus _bus = new();
    private readonly KillSwitch _killSwitch;

    public WorkflowRunnerTests() => _killSwitch = new KillSwitch(new InMemorySettingsStore(), _audit, _clock);

    [Fact]
    public async Task Steps_run_in_order_and_later_steps_read_earlier_outputs()
    {
        var provider = new ScriptedProvider("echo");
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: first, type: echo, params: {value: "{{ anomaly.type }}"}}
            - {name: second, type: echo, params: {value: "{{ outputs['first'].echo }}-again"}}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["PodOOMKilled", "PodOOMKilled-again"], provider.Requests.Select(r => r.Params["value"]));
        Assert.Equal($"{run.Id}:first:1", provider.Requests[0].IdempotencyKey);
    }

    [Fact]
    public async Task A_step_whose_condition_fails_is_skipped_and_the_run_goes_on()
    {
        var provider = new ScriptedProvider("echo");
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: maybe, type: echo, params: {value: a}, condition: {greater_than: [{anomaly.confidence_score: 0.95}]}}
            - {name: always, type: echo, params: {value: b}}
            """), Context(confidence: 0.5), CancellationToken.None);

        Assert.Equal([StepState.Skipped, StepState.Succeeded], run.Steps.Select(s => s.State));
        Assert.Equal("b", provider.Requests.Single().Params["value"]);
    }

    [Fact]
    public async Task The_first_failure_stops_the_run_and_cancels_the_rest()
    {
        var provider = new ScriptedProvider("echo", r => r.Step == "one" ? ActionResult.Fail("no such pod") : ActionResult.Ok(null));
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: one, type: echo, params: {value: a}}
            - {name: two, type: echo, params: {value: b}}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal([StepState.Failed, StepState.Cancelled], run.Steps.Select(s => s.State));
        Assert.Equal("step 'one' failed: no such pod", run.Error);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task An_unknown_template_variable_fails_the_step_before_the_provider_is_called()
    {
        var provider = new ScriptedProvider("echo");
        var run = await Runner(provider).RunAsync(Decision(), Playbook("- {name: one, type: echo, params: {value: \"{{ anomaly.nope }}\"}}"), Context(), CancellationToken.None);

        Assert.Equal(StepState.Failed, run.Steps[0].State);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task The_run_is_persisted_before_and_after_every_step()
    {
        var provider = new ScriptedProvider("echo");
        provider.OnCall = () => Assert.Equal(StepState.Running, _runs.Saves[^1].Steps[provider.Requests.Count - 1].State);
        await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: one, type: echo, params: {value: a}}
            - {name: two, type: echo, params: {value: b}}
            """), Context(), CancellationToken.None);

        Assert.Equal(StepState.Succeeded, _runs.Saves[^1].Steps[1].State);
        Assert.True(_runs.Saves.Count >= 6, $"saves: {_runs.Saves.Count}");
    }

    [Fact]
    public async Task Turning_the_kill_switch_on_mid_run_stops_before_the_next_step()
    {
        var provider = new ScriptedProvider("echo");
        provider.OnCall = () => _killSwitch.SetAsync(true, "sre", "stop", CancellationToken.None).GetAwaiter().GetResult();
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: one, type: echo, params: {value: a}}
            - {name: two, type: echo, params: {value: b}}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Blocked, run.State);
        Assert.Equal([StepState.Succeeded, StepState.Cancelled], run.Steps.Select(s => s.State));
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task Every_action_is_in_the_audit_log()
    {
        await Runner(new ScriptedProvider("echo")).RunAsync(Decision(), Playbook("- {name: one, type: echo, params: {value: a}}"), Context(), CancellationToken.None);

        Assert.Equal(["action.executed", "run.succeeded"], _audit.Entries.Select(e => e.Action));
    }

    private WorkflowRunner Runner(params IActionProvider[] providers) => new(new ActionProviders(providers), _runs, _killSwitch, _audit, _bus, _clock);

    private static Decision Decision() => new()
    {
        Id = "d1",
        IncidentId = "i1",
        CreatedAt = Some.Start,
        Status = DecisionStatus.Approved,
        Level = AutomationLevel.L3,
        Reason = "test",
    };

    private static Playbook Playbook(string steps)
    {
        var indented = string.Join('\n', steps.Split('\n').Select(l => "  " + l));
        var (playbook, errors) = PlaybookLoader.Parse($"playbook_id: p\ntrigger: {{exists: a}}\nactions:\n{indented}\n", "p.yaml");
        Assert.Empty(errors);
        return playbook!;
    }

    private static Dictionary<string, object?> Context(double confidence = 1.0) => new()
    {
        ["anomaly"] = new Dictionary<string, object?> { ["type"] = "PodOOMKilled", ["confidence_score"] = confidence },
    };
}
