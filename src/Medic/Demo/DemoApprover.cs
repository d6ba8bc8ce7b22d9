using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Stages;

namespace Medic.Demo;

/// <summary>
/// Stands in for the on-call engineer: grants each L1 approval after a visible pause, or, with
/// <c>--interactive</c>, asks at the terminal. It approves through the same service as the API.
/// </summary>
public sealed class DemoApprover(ApprovalService approvals, DemoOptions options, DemoNarrator narrator, DemoJournal journal) : IStage, IDisposable
{
    private readonly SemaphoreSlim _terminal = new(1, 1);
    private readonly List<Task> _pending = [];

    /// <inheritdoc />
    public string Name => "demo-approver";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(DecisionMade)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (!options.ApprovesForPeople || message is not DecisionMade { Decision: { Status: DecisionStatus.AwaitingApproval } decision })
        {
            return;
        }

        // Without a pause (game days) the approval is part of handling the decision, so it lands at
        // the same simulated moment on every run, before the estate steps on.
        if (!options.Interactive && options.ApprovalPause <= TimeSpan.Zero)
        {
            await DecideAsync(decision, cancellationToken);
            return;
        }

        // The loop goes on while the "engineer" thinks: approval happens beside it, not in it.
        lock (_pending)
        {
            _pending.Add(Task.Run(() => DecideAsync(decision, cancellationToken), CancellationToken.None));
        }
    }

    /// <summary>Waits for approvals in progress.</summary>
    public async Task DrainAsync()
    {
        Task[] pending;
        lock (_pending)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending);
    }

    /// <inheritdoc />
    public void Dispose() => _terminal.Dispose();

    private async Task DecideAsync(Decision decision, CancellationToken cancellationToken)
    {
        var number = journal.Number(decision.IncidentId);
        var approver = decision.Approvers.Count > 0 ? decision.Approvers[0] : "demo-operator";
        if (!options.Interactive)
        {
            narrator.Say("approval", "fuchsia", $"#{number}: waiting {options.ApprovalPause.TotalSeconds:0.#}s for {approver} to approve {decision.PlaybookId} (the demo approves for them; --interactive asks you)");
            await Task.Delay(options.ApprovalPause, CancellationToken.None);
            await approvals.ApproveAsync(decision.IncidentId, approver, "approved by the demo on behalf of the on-call engineer", cancellationToken);
            return;
        }

        await _terminal.WaitAsync(cancellationToken);
        try
        {
            Console.Write($"Approve playbook {decision.PlaybookId} for incident #{number}? [y/n] ");
            var answer = await Task.Run(Console.ReadLine, cancellationToken);
            if (answer?.Trim().StartsWith('y') == true)
            {
                await approvals.ApproveAsync(decision.IncidentId, approver, "approved at the terminal", cancellationToken);
                return;
            }

            Console.Write("Reason for rejecting: ");
            var reason = await Task.Run(Console.ReadLine, cancellationToken);
            await approvals.RejectAsync(decision.IncidentId, Environment.UserName, string.IsNullOrWhiteSpace(reason) ? "rejected at the terminal" : reason, cancellationToken);
        }
        finally
        {
            _terminal.Release();
        }
    }
}
