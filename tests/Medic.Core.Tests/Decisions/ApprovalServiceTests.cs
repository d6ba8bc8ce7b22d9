using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Medic.Core.Workflows;

namespace Medic.Core.Tests.Decisions;

public sealed class ApprovalServiceTests
{
    [Fact]
    public async Task One_approval_runs_an_ordinary_L1_decision()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness);

        var result = await harness.Approvals.ApproveAsync(decision.Id, "alice", "go", CancellationToken.None);

        Assert.Equal((ApprovalOutcome.Done, DecisionStatus.Approved), (result.Outcome, result.Decision!.Status));
        Assert.Contains(harness.Bus.Messages, m => m is ExecutionRequested r && r.DecisionId == decision.Id);
    }

    [Fact]
    public async Task Two_person_approval_needs_two_different_people()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("two_person_approval: true"));
        var decision = await PendingAsync(harness);
        Assert.Equal(2, decision.ApprovalsRequired);

        var first = await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);
        Assert.Equal(DecisionStatus.AwaitingApproval, first.Decision!.Status);
        Assert.DoesNotContain(harness.Bus.Messages, m => m is ExecutionRequested);

        var again = await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);
        Assert.Equal(ApprovalOutcome.Conflict, again.Outcome);

        var second = await harness.Approvals.ApproveAsync(decision.Id, "bob", null, CancellationToken.None);
        Assert.Equal(DecisionStatus.Approved, second.Decision!.Status);
        Assert.Equal(["alice", "bob"], second.Decision.Approvals.Select(a => a.By));
        Assert.Contains(harness.Bus.Messages, m => m is ExecutionRequested);
    }

    [Theory]
    [InlineData("alice", ApprovalOutcome.Done)]
    [InlineData("carol", ApprovalOutcome.Done)]
    [InlineData("mallory", ApprovalOutcome.Forbidden)]
    public async Task Only_listed_people_and_members_of_listed_roles_may_approve(string who, ApprovalOutcome expected)
    {
        var policy = new PolicyOptions { Roles = new Dictionary<string, IReadOnlyList<string>> { ["sre-oncall"] = ["alice", "bob"] } };
        using var harness = new DecisionHarness(policy, TestPlaybooks.WithSafety("approvers: [sre-oncall, carol]"));
        var decision = await PendingAsync(harness);

        Assert.Equal(expected, (await harness.Approvals.ApproveAsync(decision.Id, who, null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task The_person_who_asked_for_a_run_may_not_approve_it()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness, requestedBy: "dave");

        var result = await harness.Approvals.ApproveAsync(decision.Id, "dave", null, CancellationToken.None);

        Assert.Equal(ApprovalOutcome.Forbidden, result.Outcome);
        Assert.Equal("'dave' asked for this run and may not approve it; another approver must", result.Message);
        Assert.Equal(ApprovalOutcome.Done, (await harness.Approvals.ApproveAsync(decision.Id, "erin", null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task An_expired_request_escalates_and_pages_and_never_runs()
    {
        using var harness = new DecisionHarness(new PolicyOptions { ApprovalTimeout = TimeSpan.FromMinutes(30), PageChannel = "pagerduty" });
        var decision = await PendingAsync(harness);

        harness.Clock.Advance(TimeSpan.FromMinutes(29));
        await harness.Approvals.ExpireAsync(CancellationToken.None);
        Assert.Equal(DecisionStatus.AwaitingApproval, (await harness.Decisions.GetAsync(decision.Id, CancellationToken.None))!.Status);

        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await harness.Approvals.ExpireAsync(CancellationToken.None);

        Assert.Equal(DecisionStatus.Expired, (await harness.Decisions.GetAsync(decision.Id, CancellationToken.None))!.Status);
        Assert.Equal(IncidentState.Escalated, (await harness.Incidents.GetAsync(decision.IncidentId, CancellationToken.None))!.State);
        Assert.Contains(harness.Bus.Messages, m => m is NotificationRequested { Channel: "pagerduty" });
        Assert.DoesNotContain(harness.Bus.Messages, m => m is ExecutionRequested);
        Assert.Equal(ApprovalOutcome.Conflict, (await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_escalates()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness);

        Assert.Equal(ApprovalOutcome.Invalid, (await harness.Approvals.RejectAsync(decision.Id, "alice", " ", CancellationToken.None)).Outcome);
        var rejected = await harness.Approvals.RejectAsync(decision.Id, "alice", "restart would hide the leak", CancellationToken.None);

        Assert.Equal(DecisionStatus.Rejected, rejected.Decision!.Status);
        Assert.Equal(IncidentState.Escalated, (await harness.Incidents.GetAsync(decision.IncidentId, CancellationToken.None))!.State);
        Assert.Contains(harness.Audit.Entries, e => e.Action == "approval.rejected" && e.Actor == "alice");
    }

    [Fact]
    public async Task Withdrawing_an_approval_before_the_run_starts_stops_it_from_ever_running()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness);
        await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);

        var result = await harness.Approvals.WithdrawAsync(decision.Id, "alice", "wrong pod", CancellationToken.None);

        Assert.Equal((ApprovalOutcome.Done, DecisionStatus.Withdrawn), (result.Outcome, result.Decision!.Status));
        Assert.Equal(IncidentState.Escalated, (await harness.Incidents.GetAsync(decision.IncidentId, CancellationToken.None))!.State);
        Assert.Contains(harness.Audit.Entries, e => e.Action == "approval.withdrawn" && e.Actor == "alice");
    }

    [Fact]
    public async Task Withdrawing_an_approval_cancels_its_run_in_flight()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness);
        await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);
        await harness.Runs.SaveAsync(new Run { Id = "r1", DecisionId = decision.Id, IncidentId = decision.IncidentId, PlaybookId = "p", State = RunState.Running, StartedAt = Some.Start, Steps = [] }, CancellationToken.None);
        using var registration = harness.Cancellations.Register("r1", decision.Id);

        var result = await harness.Approvals.WithdrawAsync(decision.Id, "alice", "wrong pod", CancellationToken.None);

        Assert.Equal("withdrawn; run r1 is being cancelled", result.Message);
        Assert.True(registration.Token.IsCancellationRequested);
        Assert.Equal("approval withdrawn by alice: wrong pod", registration.Reason);
    }

    [Fact]
    public async Task A_run_that_registers_just_after_the_withdrawal_is_stopped_before_its_first_step()
    {
        using var harness = new DecisionHarness();
        var decision = await PendingAsync(harness);
        await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);
        await harness.Approvals.WithdrawAsync(decision.Id, "alice", "wrong pod", CancellationToken.None);

        using var late = harness.Cancellations.Register("r2", decision.Id);

        Assert.True(late.Token.IsCancellationRequested);
        Assert.Equal("approval withdrawn by alice: wrong pod", late.Reason);
    }

    [Fact]
    public async Task Only_a_person_involved_may_withdraw_and_only_with_a_reason()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("approvers: [alice, bob]"));
        var decision = await PendingAsync(harness);
        await harness.Approvals.ApproveAsync(decision.Id, "alice", null, CancellationToken.None);

        var stranger = await harness.Approvals.WithdrawAsync(decision.Id, "mallory", "because", CancellationToken.None);
        var silent = await harness.Approvals.WithdrawAsync(decision.Id, "bob", " ", CancellationToken.None);

        Assert.Equal(ApprovalOutcome.Forbidden, stranger.Outcome);
        Assert.Equal(ApprovalOutcome.Invalid, silent.Outcome);
        Assert.Equal(DecisionStatus.Approved, (await harness.Decisions.GetAsync(decision.Id, CancellationToken.None))!.Status);
    }

    private static async Task<Decision> PendingAsync(DecisionHarness harness, string? requestedBy = null)
    {
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
        var decision = await harness.Maker.DecideAsync(incident, top, requestedBy, null, CancellationToken.None);
        Assert.Equal(DecisionStatus.AwaitingApproval, decision.Status);
        await harness.Maker.RecordAsync(decision, CancellationToken.None);
        return decision;
    }
}
