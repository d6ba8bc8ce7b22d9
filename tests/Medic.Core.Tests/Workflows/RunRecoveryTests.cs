using Medic.Core.Playbooks;
using Medic.Core.Tests.Support;
using Medic.Core.Workflows;
using Medic.Testing;

namespace Medic.Core.Tests.Workflows;

public sealed class RunRecoveryTests
{
    private static readonly Playbook Playbook = PlaybookLoader.Parse(
        """
        playbook_id: p
        trigger: {exists: a}
        actions:
          - {name: look, type: echo, params: {}, idempotent: true}
          - {name: act, type: echo, params: {}}
        """,
        "p.yaml").Playbook!;

    [Fact]
    public void A_run_may_resume_when_what_was_in_flight_is_idempotent_or_nothing_was()
    {
        Assert.Null(RunRecovery.CannotResume(Run(StepState.Running, StepState.Pending), Playbook));
        Assert.Null(RunRecovery.CannotResume(Run(StepState.Succeeded, StepState.Pending), Playbook));
    }

    [Fact]
    public void A_run_with_a_step_in_flight_that_is_not_idempotent_may_not_resume()
    {
        Assert.Equal(
            "Medic stopped while step 'act' (echo) was in flight; it is not marked idempotent, so it was not repeated: check whether it acted",
            RunRecovery.CannotResume(Run(StepState.Succeeded, StepState.Running), Playbook));
        Assert.NotNull(RunRecovery.CannotResume(Run(StepState.Running, StepState.Pending), null));
    }

    [Fact]
    public void A_run_whose_failure_was_not_yet_handled_may_not_resume()
    {
        Assert.Equal("step 'look' had failed before Medic stopped, and its fallbacks had not finished", RunRecovery.CannotResume(Run(StepState.Failed, StepState.Pending), Playbook));
    }

    [Fact]
    public async Task Every_run_left_running_is_handed_to_the_executor_and_no_other()
    {
        var runs = new InMemoryRunStore();
        var bus = new RecordingBus();
        await runs.SaveAsync(Run(StepState.Running, StepState.Pending) with { Id = "left" }, CancellationToken.None);
        await runs.SaveAsync(Run(StepState.Succeeded, StepState.Succeeded) with { Id = "done", State = RunState.Succeeded }, CancellationToken.None);

        var found = await new RunRecovery(runs, bus).RecoverAsync(CancellationToken.None);

        Assert.Equal(["left"], found);
        Assert.Equal([new RunResumeRequested("left")], bus.Messages);
    }

    private static Run Run(StepState look, StepState act) => new()
    {
        Id = "r1",
        DecisionId = "d1",
        IncidentId = "i1",
        PlaybookId = "p",
        State = RunState.Running,
        StartedAt = Some.Start,
        Steps = [new StepRecord { Name = "look", Type = "echo", State = look }, new StepRecord { Name = "act", Type = "echo", State = act }],
    };
}
