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
    private readonly RunCancellations _cancellations = new();
    private readonly KillSwitch _killSwitch;

    public WorkflowRunnerTests() => _killSwitch = new KillSwitch(new InMemorySettingsStore(), _audit, _clock, new KillSwitchOptions { ReadEnvironment = _ => null });

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

    [Fact]
    public async Task A_retryable_failure_is_retried_with_growing_waits_and_a_new_key_each_attempt()
    {
        var calls = 0;
        var provider = new ScriptedProvider("echo", _ => ++calls < 3 ? ActionResult.Transient("429 too many requests") : ActionResult.Ok(null));
        var running = Runner(provider).RunAsync(Decision(), Playbook("- {name: one, type: echo, params: {value: a}, retries: 3}"), Context(), CancellationToken.None);

        while (!running.IsCompleted)
        {
            await Task.Delay(1);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var run = await running;
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(3, run.Steps[0].Attempt);
        Assert.Equal([":one:1", ":one:2", ":one:3"], provider.Requests.Select(r => r.IdempotencyKey[r.IdempotencyKey.IndexOf(':', StringComparison.Ordinal)..]));
        Assert.Equal(2, run.Steps[0].Log.Count(l => l.Contains("retrying in", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        var provider = new ScriptedProvider("echo", _ => ActionResult.Fail("404 not found"));
        var run = await Runner(provider).RunAsync(Decision(), Playbook("- {name: one, type: echo, params: {value: a}, retries: 3}"), Context(), CancellationToken.None);

        Assert.Single(provider.Requests);
        Assert.Equal(RunState.Failed, run.State);
    }

    [Fact]
    public async Task When_a_step_fails_its_fallbacks_run_in_a_chain_until_one_holds()
    {
        var provider = new ScriptedProvider("echo", r => r.Step is "restart" or "drain" ? ActionResult.Fail($"{r.Step} failed") : ActionResult.Ok(null));
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: restart, type: echo, params: {value: a}, on_failure: drain}
            - {name: drain, type: echo, params: {value: b}, on_failure: page}
            - {name: page, type: echo, params: {value: c}}
            - {name: after, type: echo, params: {value: d}, depends_on: restart}
            """), Context(), CancellationToken.None);

        Assert.Equal(["restart", "drain", "page"], provider.Requests.Select(r => r.Step));
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal([StepState.Failed, StepState.Failed, StepState.Succeeded, StepState.Skipped], run.Steps.Select(s => s.State));
        Assert.Equal("skipped: 'restart' did not succeed", run.Steps[3].Error);
    }

    [Fact]
    public async Task When_the_fallbacks_fail_too_the_run_fails()
    {
        var provider = new ScriptedProvider("echo", _ => ActionResult.Fail("no"));
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: restart, type: echo, params: {value: a}, on_failure: page}
            - {name: page, type: echo, params: {value: c}}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(2, provider.Requests.Count);
    }

    [Fact]
    public async Task Steps_run_after_the_steps_they_depend_on_whatever_the_file_order()
    {
        var provider = new ScriptedProvider("echo");
        await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: second, type: echo, params: {value: a}, depends_on: first}
            - {name: first, type: echo, params: {value: b}, depends_on: []}
            """), Context(), CancellationToken.None);

        Assert.Equal(["first", "second"], provider.Requests.Select(r => r.Step));
    }

    [Fact]
    public async Task A_dry_run_records_the_rendered_steps_and_calls_nothing()
    {
        var provider = new ScriptedProvider("echo");
        var run = await Runner(provider).DryRunAsync(Decision(), Playbook(
            """
            - {name: first, type: echo, params: {value: "{{ anomaly.type }}"}}
            - {name: second, type: echo, params: {value: "{{ outputs['first'].echo }}"}}
            """), Context(), CancellationToken.None);

        Assert.Empty(provider.Requests);
        Assert.Equal(RunState.DryRun, run.State);
        Assert.Equal("PodOOMKilled", run.Steps[0].Params!["value"]!.GetValue<string>());
        Assert.StartsWith("(pending until the run:", run.Steps[1].Params!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Independent_steps_run_side_by_side_and_a_join_waits_for_both()
    {
        var gate = new GatedProvider();
        var running = Runner(gate).RunAsync(Decision(), Playbook(
            """
            - {name: left, type: gated, params: {}, depends_on: []}
            - {name: right, type: gated, params: {}, depends_on: []}
            - {name: join, type: gated, params: {}, depends_on: [left, right]}
            """), Context(), CancellationToken.None);

        await gate.WaitForAsync("left");
        await gate.WaitForAsync("right");
        Assert.DoesNotContain("join", gate.Started);
        gate.Release("left");
        gate.Release("right");
        await gate.WaitForAsync("join");
        gate.Release("join");

        Assert.Equal(RunState.Succeeded, (await running).State);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_the_step_in_flight_and_runs_nothing_after_it()
    {
        var gate = new GatedProvider();
        var running = Runner(gate).RunAsync(Decision(), Playbook(
            """
            - {name: one, type: gated, params: {}}
            - {name: two, type: gated, params: {}}
            """), Context(), CancellationToken.None);

        await gate.WaitForAsync("one");
        Assert.True(_cancellations.Cancel(_runs.Saves[^1].Id, "approval withdrawn by alice"));
        var run = await running;

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal("cancelled: approval withdrawn by alice", run.Error);
        Assert.Equal([StepState.Cancelled, StepState.Cancelled], run.Steps.Select(s => s.State));
        Assert.DoesNotContain("two", gate.Started);
        Assert.False(_cancellations.Cancel(run.Id, "again"), "a finished run is no longer registered");
    }

    [Fact]
    public async Task A_resumed_run_repeats_the_step_in_flight_with_its_key_and_keeps_what_finished()
    {
        var provider = new ScriptedProvider("echo");
        var playbook = Playbook(
            """
            - {name: first, type: echo, params: {value: a}}
            - {name: second, type: echo, params: {value: "{{ outputs['first'].echo }}"}, idempotent: true}
            - {name: third, type: echo, params: {value: c}}
            """);
        var attemptStarted = Some.Start.AddMinutes(-3);
        var crashed = new Run
        {
            Id = "r1",
            DecisionId = "d1",
            IncidentId = "i1",
            PlaybookId = "p",
            State = RunState.Running,
            StartedAt = Some.Start.AddMinutes(-5),
            Steps =
            [
                new StepRecord { Name = "first", Type = "echo", State = StepState.Succeeded, Output = new System.Text.Json.Nodes.JsonObject { ["echo"] = "a" } },
                new StepRecord { Name = "second", Type = "echo", State = StepState.Running, Attempt = 2, IdempotencyKey = "r1:second:2", AttemptStartedAt = attemptStarted, Params = new System.Text.Json.Nodes.JsonObject { ["value"] = "a" } },
                new StepRecord { Name = "third", Type = "echo" },
            ],
        };

        var run = await Runner(provider).ResumeAsync(crashed, playbook, Context(), CancellationToken.None);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["second", "third"], provider.Requests.Select(r => r.Step));
        Assert.Equal("r1:second:2", provider.Requests[0].IdempotencyKey);
        Assert.Equal(attemptStarted, provider.Requests[0].RequestedAt);
        Assert.Equal("a", provider.Requests[0].Params["value"]);
        Assert.Contains("resumed attempt 2 after a restart", run.Steps[1].Log);
        Assert.Contains(_audit.Entries, e => e.Action == "run.resumed");
    }

    [Fact]
    public async Task A_provider_that_throws_fails_its_step_and_the_run_ends_instead_of_hanging()
    {
        var provider = new ScriptedProvider("echo", _ => throw new InvalidOperationException("bug in the provider"));
        var run = await Runner(provider).RunAsync(Decision(), Playbook("- {name: one, type: echo, params: {value: a}}"), Context(), CancellationToken.None);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("echo failed unexpectedly: InvalidOperationException: bug in the provider", run.Steps[0].Error);
        Assert.Equal(RunState.Failed, _runs.Saves[^1].State);
    }

    [Fact]
    public async Task When_the_host_stops_the_step_in_flight_stays_running_for_recovery()
    {
        var gate = new GatedProvider();
        using var host = new CancellationTokenSource();
        var running = Runner(gate).RunAsync(Decision(), Playbook("- {name: one, type: gated, params: {}}\n- {name: two, type: gated, params: {}}"), Context(), host.Token);
        await gate.WaitForAsync("one");

        await host.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var saved = _runs.Saves[^1];
        Assert.Equal(RunState.Running, saved.State);
        Assert.Equal([StepState.Running, StepState.Pending], saved.Steps.Select(s => s.State));
    }

    [Fact]
    public async Task Steps_after_a_skipped_step_are_still_considered()
    {
        var provider = new ScriptedProvider("echo", r => r.Step == "a" ? ActionResult.Fail("no") : ActionResult.Ok(null));
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: a, type: echo, params: {value: a}, on_failure: fix}
            - {name: fix, type: echo, params: {value: f}}
            - {name: b, type: echo, params: {value: b}, depends_on: a}
            - {name: c, type: echo, params: {value: c}, depends_on: b}
            - {name: d, type: echo, params: {value: d}, depends_on: []}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal([StepState.Failed, StepState.Succeeded, StepState.Skipped, StepState.Skipped, StepState.Succeeded], run.Steps.Select(s => s.State));
    }

    [Fact]
    public async Task A_fallback_named_by_two_failing_steps_runs_once()
    {
        var provider = new ScriptedProvider("echo", r => r.Step is "left" or "right" ? ActionResult.Fail("no") : ActionResult.Ok(null));
        var run = await Runner(provider).RunAsync(Decision(), Playbook(
            """
            - {name: left, type: echo, params: {value: l}, depends_on: [], on_failure: page}
            - {name: right, type: echo, params: {value: r}, depends_on: [], on_failure: page}
            - {name: page, type: echo, params: {value: p}}
            """), Context(), CancellationToken.None);

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Single(provider.Requests, r => r.Step == "page");
    }

    [Theory]
    [InlineData(false, 1, "timed out after 00:00:01; not retried, as the step is not idempotent and may have acted")]
    [InlineData(true, 3, "timed out after 00:00:01 (after 3 attempts)")]
    public async Task A_timed_out_attempt_is_retried_only_when_the_step_is_idempotent(bool idempotent, int attempts, string error)
    {
        var gate = new GatedProvider();
        var running = Runner(gate).RunAsync(Decision(), Playbook($"- {{name: slow, type: gated, params: {{}}, timeout: 1s, retries: 2, idempotent: {(idempotent ? "true" : "false")}}}"), Context(), CancellationToken.None);

        while (!running.IsCompleted)
        {
            await Task.Delay(1);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var run = await running;
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(attempts, run.Steps[0].Attempt);
        Assert.Equal(error, run.Steps[0].Error);
    }

    private WorkflowRunner Runner(params IActionProvider[] providers) => new(new ActionProviders(providers), _runs, _killSwitch, _cancellations, _audit, _bus, _clock);

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

    /// <summary>A provider whose calls wait until the test releases them, to observe steps in flight.</summary>
    private sealed class GatedProvider : IActionProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _started = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _released = new();

        public string Type => "gated";

        public IEnumerable<string> Started => _started.Where(s => s.Value.Task.IsCompleted).Select(s => s.Key);

        public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
        {
            Signal(_started, request.Step).TrySetResult();
            await Signal(_released, request.Step).Task.WaitAsync(cancellationToken);
            return ActionResult.Ok(null);
        }

        public Task WaitForAsync(string step) => Signal(_started, step).Task.WaitAsync(TimeSpan.FromSeconds(30));

        public void Release(string step) => Signal(_released, step).TrySetResult();

        private static TaskCompletionSource Signal(System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> map, string step) =>
            map.GetOrAdd(step, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
