using System.Globalization;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Verification;

namespace Medic.Core.Learning;

/// <summary>
/// Learn: every verified run teaches the learner how its playbook did on that kind of incident, and
/// says so on the timeline, beside what each shadow playbook would have done instead (they learn nothing:
/// their actions never ran).
/// </summary>
public sealed class LearningStage(IDecisionStore decisions, IIncidentStore incidents, PlaybookLearner learner, TimeProvider clock) : IStage
{
    /// <inheritdoc />
    public string Name => "learn";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(VerificationFinished)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is not VerificationFinished { Outcome: var outcome })
        {
            return;
        }

        var all = await decisions.ListByIncidentAsync(outcome.IncidentId, cancellationToken);
        foreach (var shadow in all.Where(d => d.Status == DecisionStatus.Shadow))
        {
            await incidents.AppendTimelineAsync(
                new TimelineEntry(outcome.IncidentId, clock.GetUtcNow(), Name, "shadow", $"shadow: {shadow.PlaybookId} would have acted at {shadow.Level} instead of {outcome.PlaybookId}, which {Humanize.Words(outcome.Kind)}"),
                cancellationToken);
        }

        var decision = all.LastOrDefault(d => d.PlaybookId == outcome.PlaybookId && d.Learning is not null);
        if (decision?.Learning is not { } learning || !learner.Options.Enabled)
        {
            return;
        }

        var rank = decision.Matches.Where(m => m.Matched).Select(m => m.PlaybookId).ToList().IndexOf(outcome.PlaybookId);
        var arm = await learner.LearnAsync(learning.Signature, outcome.PlaybookId, outcome.Kind, Math.Max(0, rank), cancellationToken);
        await learner.LogAsync(new LoggedDecision(learning.Signature, outcome.PlaybookId, learning.Propensity, outcome.Kind == OutcomeKind.Recovered ? 1 : 0, outcome.VerifiedAt), cancellationToken);
        await incidents.AppendTimelineAsync(
            new TimelineEntry(outcome.IncidentId, clock.GetUtcNow(), Name, "learning", string.Create(CultureInfo.InvariantCulture, $"{outcome.PlaybookId} {Humanize.Words(outcome.Kind)} on {learning.Signature}: expected success now {arm.Mean:0.00} after {arm.Pulls} outcome(s)")),
            cancellationToken);
    }
}
