using Medic.Core.Bus;
using Medic.Core.Playbooks;
using Medic.Core.Storage;

namespace Medic.Core.Workflows;

/// <summary>
/// After a restart, hands every run left running to the executor (<see cref="RunResumeRequested"/>),
/// which resumes it when that is safe (<see cref="CannotResume"/>) and otherwise marks it interrupted.
/// </summary>
public sealed class RunRecovery(IRunStore runs, IBus bus)
{
    /// <summary>Announces the runs in flight; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken cancellationToken)
    {
        var inFlight = (await runs.ListRecentAsync(DateTimeOffset.MaxValue, cancellationToken))
            .Where(r => r.State == RunState.Running && !RunOwner.IsAnotherLiveProcess(r.Owner, r.StartedAt))
            .Select(r => r.Id)
            .ToList();
        foreach (var id in inFlight)
        {
            await bus.PublishAsync(new RunResumeRequested(id), cancellationToken);
        }

        return inFlight;
    }

    /// <summary>
    /// Why <paramref name="run"/> must not resume, or null when it may: every step it had in flight
    /// must be idempotent, because whether such a step acted before the stop is unknown and doing it
    /// again could do it twice; and no failure may have been left half handled.
    /// </summary>
    public static string? CannotResume(Run run, Playbook? playbook)
    {
        if (playbook is null)
        {
            return "Medic stopped during the run and its playbook can no longer be read, so it cannot continue";
        }

        var fallbacks = playbook.FallbackSteps;
        if (run.Steps.FirstOrDefault(s => fallbacks.Contains(s.Name) && s.State == StepState.Running) is { } fallback)
        {
            return $"Medic stopped while fallback '{fallback.Name}' ({fallback.Type}) was handling a failure; the run does not continue: check what it did";
        }

        if (run.Steps.FirstOrDefault(s => !fallbacks.Contains(s.Name) && s.State == StepState.Failed && !s.Log.Any(l => l.StartsWith(WorkflowRunner.HandledByFallback, StringComparison.Ordinal))) is { } failed)
        {
            return $"step '{failed.Name}' had failed before Medic stopped, and its fallbacks had not finished";
        }

        var unsafeStep = run.Steps.FirstOrDefault(s => s.State == StepState.Running && playbook.Actions.FirstOrDefault(a => a.Name == s.Name) is not { Idempotent: true });
        return unsafeStep is null ? null
            : $"Medic stopped while step '{unsafeStep.Name}' ({unsafeStep.Type}) was in flight; it is not marked idempotent, so it was not repeated: check whether it acted";
    }
}
