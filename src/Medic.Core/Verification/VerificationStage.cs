using System.Globalization;
using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Telemetry;
using Medic.Core.Workflows;

namespace Medic.Core.Verification;

/// <summary>
/// Verify: after a run, watches the SLO series of the incident's services until every one is
/// back within its pre-incident baseline for a few samples (recovered), the trigger recurs or the
/// window closes (not recovered), or the series end worse than before the run (made worse).
/// </summary>
public sealed class VerificationStage(
    IBus bus,
    IIncidentStore incidents,
    IDecisionStore decisions,
    IncidentLifecycle lifecycle,
    IAuditLog audit,
    VerificationOptions options,
    TimeProvider clock) : ITimedStage
{
    private const double MadToSigma = 1.4826;
    private readonly RecentSamples _history = new(options.SloMetrics, options.History);
    private readonly List<RunWatch> _watches = [];

    /// <inheritdoc />
    public string Name => "verify";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(RunFinished), typeof(SampleBatch), typeof(Signal)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case SampleBatch batch:
                Record(batch);
                await EvaluateAsync(clock.GetUtcNow(), cancellationToken);
                break;
            case Signal signal:
                foreach (var watch in _watches.Where(w => w.Suspect == signal.Entity.Candidate && w.TriggerType == signal.Type && signal.ObservedAt > w.Start))
                {
                    watch.Recurrence ??= $"{signal.Type} recurred on {signal.Entity} at {signal.ObservedAt:HH:mm:ss}";
                }

                break;
            case RunFinished { Run.State: RunState.Succeeded } finished:
                await WatchAsync(finished.Run, cancellationToken);
                break;
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await EvaluateAsync(now, cancellationToken);

    private void Record(SampleBatch batch)
    {
        foreach (var sample in _history.Record(batch))
        {
            foreach (var watch in _watches)
            {
                if (watch.Checks.TryGetValue(sample.Series, out var check) && sample.Timestamp > watch.Start)
                {
                    check.Observe(sample.Timestamp, sample.Value);
                }
            }
        }
    }

    private async Task WatchAsync(Run run, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(run.IncidentId, cancellationToken) is not { } incident)
        {
            return;
        }

        var decision = await decisions.GetAsync(run.DecisionId, cancellationToken);
        var trigger = decision?.Context is { } context ? TriggerType(context) : null;
        var start = run.FinishedAt ?? clock.GetUtcNow();
        var watch = new RunWatch(run, start, start + options.Window, decision?.RootCause?.Entity.Candidate, trigger);
        foreach (var (series, history) in _history.Series)
        {
            if (series[Labels.Service] is not { } service || !incident.Services.Contains(service))
            {
                continue;
            }

            var baseline = history.Where(h => h.At >= incident.OpenedAt - options.BaselineWindow && h.At < incident.OpenedAt).Select(h => h.Value).ToArray();
            if (baseline.Length < 5)
            {
                continue;
            }

            var median = Median(baseline);
            var mad = Median(baseline.Select(v => Math.Abs(v - median)).ToArray());
            var bound = median + Math.Max(options.ToleranceSigmas * MadToSigma * mad, Math.Max(options.MinRelativeTolerance * Math.Abs(median), 1e-9));
            var during = history.Where(h => h.At >= incident.OpenedAt && h.At <= start).Select(h => h.Value).DefaultIfEmpty(median).Max();
            watch.Checks[series] = new SloCheck(bound, during);
        }

        _watches.Add(watch);
        await incidents.AppendTimelineAsync(
            new TimelineEntry(run.IncidentId, clock.GetUtcNow(), Name, "verification", string.Create(CultureInfo.InvariantCulture, $"watching {watch.Checks.Count} SLO series of {string.Join(", ", incident.Services)} for up to {options.Window.TotalMinutes:0} minutes")),
            cancellationToken);
    }

    private async Task EvaluateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var watch in _watches.ToList())
        {
            var observed = now - watch.Start;
            Outcome? outcome = null;
            if (watch.Recurrence is { } recurrence)
            {
                outcome = Conclude(watch, OutcomeKind.NotRecovered, now, null, recurrence);
            }
            else if (observed >= options.MinObservation && watch.Checks.Values.All(c => c.Streak >= options.HealthySamples))
            {
                var back = watch.Checks.Values.Select(c => c.StreakStart).Max() ?? now;
                outcome = Conclude(watch, OutcomeKind.Recovered, now, back, watch.Checks.Count == 0
                    ? "no SLO series to check, and the trigger did not recur"
                    : $"all {watch.Checks.Count} SLO series back within their pre-incident baseline");
            }
            else if (now >= watch.Deadline)
            {
                var worse = watch.Checks.Where(c => c.Value.Last > c.Value.Bound && c.Value.Last > 1.2 * c.Value.WorstBefore).Select(c => Describe(c.Key)).ToList();
                outcome = worse.Count > 0
                    ? Conclude(watch, OutcomeKind.MadeWorse, now, null, $"worse than before the run: {string.Join(", ", worse)}")
                    : Conclude(watch, OutcomeKind.NotRecovered, now, null, $"not back to baseline within {options.Window.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes: {string.Join(", ", watch.Checks.Where(c => c.Value.Streak < options.HealthySamples).Select(c => Describe(c.Key)))}");
            }

            if (outcome is not null)
            {
                _watches.Remove(watch);
                await ReportAsync(outcome, cancellationToken);
            }
        }
    }

    private static Outcome Conclude(RunWatch watch, OutcomeKind kind, DateTimeOffset now, DateTimeOffset? back, string reason) =>
        new(watch.Run.IncidentId, watch.Run.Id, watch.Run.PlaybookId, kind, now, back, reason);

    private async Task ReportAsync(Outcome outcome, CancellationToken cancellationToken)
    {
        await audit.AppendAsync("medic", $"verification.{Humanize.Words(outcome.Kind).Replace(' ', '_')}", outcome.RunId, outcome, cancellationToken);
        await incidents.AppendTimelineAsync(
            new TimelineEntry(outcome.IncidentId, outcome.VerifiedAt, Name, "verification", $"{Humanize.Words(outcome.Kind)}: {outcome.Reason}")
            {
                DataJson = System.Text.Json.JsonSerializer.Serialize(outcome, MedicJson.Options),
            },
            cancellationToken);
        var state = outcome.Kind == OutcomeKind.Recovered ? IncidentState.Resolved : IncidentState.Escalated;
        await lifecycle.TransitionAsync(outcome.IncidentId, state, Name, outcome.Reason, cancellationToken);
        await bus.PublishAsync(new VerificationFinished(outcome), cancellationToken);
    }

    private static string? TriggerType(System.Text.Json.Nodes.JsonObject context) =>
        context["anomaly"]?["type"]?.GetValue<string>();

    private static string Describe(SeriesKey series) => $"{series.Name} of {series[Labels.Service]}";

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
