using System.Globalization;
using System.Text.Json;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Telemetry;
using Medic.Core.Topology;
using Medic.Core.Traces;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Rca;

/// <summary>
/// Diagnose: ranks root-cause hypotheses for incidents that changed, once they have settled and
/// while no fix is running (the fast tier, <see cref="EvidenceRanker"/>), and publishes the
/// diagnosis. Each such diagnosis also starts the deep tier (<see cref="DeepTier"/>) on another
/// thread; when it is done, its verdict is merged and the diagnosis published again.
/// </summary>
public sealed partial class DiagnosisStage(
    IBus bus,
    IIncidentStore incidents,
    ISignalStore signals,
    IChangeStore changes,
    ITopology topology,
    DiagnosisOptions options,
    TimeProvider clock,
    ILogger<DiagnosisStage> logger,
    CalibrationInUse? calibration = null) : ITimedStage
{
    /// <summary>Deep-tier verdicts kept for re-diagnoses.</summary>
    private const int MaxVerdicts = 1_000;

    private readonly HashSet<string> _dirty = [];
    private readonly RecentSamples _recent = new(options.DeepMetrics, options.DeepLookback * 2);
    private readonly Dictionary<string, Task<DeepVerdict>> _deepRunning = [];
    private readonly Dictionary<string, DeepVerdict> _deepDone = [];
    private readonly ErrorOrigins _errorOrigins = new(options.DeepLookback);

    /// <inheritdoc />
    public string Name => "diagnose";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(IncidentChanged), typeof(SampleBatch), typeof(SpanBatch)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case IncidentChanged changed:
                _dirty.Add(changed.IncidentId);
                break;
            case SampleBatch batch when options.DeepTier:
                _recent.Record(batch);
                break;
            case SpanBatch batch:
                _errorOrigins.Record(batch.Spans);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await MergeDeepVerdictsAsync(cancellationToken);
        foreach (var id in _dirty.ToList())
        {
            var incident = await incidents.GetAsync(id, cancellationToken);
            // While a fix runs, its own effects (drained pods landing on another node, say) are not a new diagnosis.
            if (incident is null || !incident.IsActive || incident.State == IncidentState.Remediating)
            {
                _dirty.Remove(id);
                _deepDone.Remove(id);
                continue;
            }

            if (now - incident.OpenedAt >= options.SettleTime)
            {
                _dirty.Remove(id);
                await DiagnoseAsync(incident, cancellationToken);
                StartDeepTier(incident, now);
            }
        }
    }

    /// <summary>Snapshots the incident's recent series and ranks them on another thread, unless a ranking of it is already running.</summary>
    private void StartDeepTier(Incident incident, DateTimeOffset now)
    {
        if (!options.DeepTier || _deepRunning.ContainsKey(incident.Id))
        {
            return;
        }

        var onset = incident.OpenedAt;
        var problem = DeepTier.Problem(_recent, topology, onset, now, options);
        if (problem.Metrics.Count > 0)
        {
            _deepRunning[incident.Id] = Task.Run(() => DeepTier.Rank(problem, onset - options.DeepLookback, now));
        }
    }

    private async Task MergeDeepVerdictsAsync(CancellationToken cancellationToken)
    {
        if (options.AwaitDeepTier)
        {
            // Failures are logged below, with the rest.
            await ((Task)Task.WhenAll(_deepRunning.Values)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var (id, task) in _deepRunning.Where(d => d.Value.IsCompleted).ToList())
        {
            _deepRunning.Remove(id);
            if (!task.IsCompletedSuccessfully)
            {
                LogDeepTierFailed(id, task.Exception?.GetBaseException().Message ?? "cancelled");
                continue;
            }

            var incident = await incidents.GetAsync(id, cancellationToken);
            if (incident is { IsActive: true } && incident.State != IncidentState.Remediating)
            {
                // Verdicts of incidents long closed are dropped, oldest first, rather than kept for ever.
                foreach (var old in _deepDone.OrderBy(d => d.Value.To).Take(Math.Max(0, _deepDone.Count - MaxVerdicts + 1)).Select(d => d.Key).ToList())
                {
                    _deepDone.Remove(old);
                }

                var verdict = _deepDone[id] = await task;
                await incidents.AppendTimelineAsync(
                    new TimelineEntry(id, clock.GetUtcNow(), Name, "causal-analysis", $"the causal graph of {verdict.Variables} candidates ranks {string.Join(", ", verdict.Ranked.Take(3))} first")
                    {
                        DataJson = JsonSerializer.Serialize(verdict, MedicJson.Options),
                    },
                    cancellationToken);
                await DiagnoseAsync(incident, cancellationToken);
            }
        }
    }

    private async Task DiagnoseAsync(Incident incident, CancellationToken cancellationToken)
    {
        var evidence = await signals.ListByIncidentAsync(incident.Id, cancellationToken);
        if (evidence.Count == 0)
        {
            return;
        }

        var recentChanges = await changes.ListAsync(incident.OpenedAt - options.ChangeLookback, incident.LastSignalAt, cancellationToken);
        var errors = _errorOrigins.Leading(incident.OpenedAt - options.SettleTime, clock.GetUtcNow());
        var ranked = EvidenceRanker.Rank(evidence, recentChanges, topology, options, _deepDone.GetValueOrDefault(incident.Id), errors);
        var hypotheses = calibration?.Apply(ranked) ?? ranked;
        var top = hypotheses[0];
        var now = clock.GetUtcNow();
        if (incident.RootCause?.Entity != top.Entity || incident.RootCause.FaultKind != top.FaultKind)
        {
            await incidents.UpdateAsync(
                incident.Id,
                i => i with { RootCause = top, State = i.State == IncidentState.Open ? IncidentState.Diagnosed : i.State, UpdatedAt = now },
                cancellationToken);
            await incidents.AppendTimelineAsync(
                new TimelineEntry(incident.Id, now, Name, "diagnosis", string.Create(CultureInfo.InvariantCulture, $"root cause: {top.Entity} ({top.FaultKind}), confidence {top.Confidence * 100:0}%{(top.Story.Length > 0 ? ": " + top.Story : "")}"))
                {
                    DataJson = JsonSerializer.Serialize(hypotheses, MedicJson.Options),
                },
                cancellationToken);
        }

        // Published on every re-diagnosis, not only when the leader changes: new evidence on the same
        // suspect (an OOM kill after a memory climb, say) can make a playbook match that did not before.
        await bus.PublishAsync(new DiagnosisReady(incident.Id, hypotheses, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deep tier failed on incident {IncidentId} ({Problem}); its fast-tier diagnosis stands")]
    private partial void LogDeepTierFailed(string incidentId, string problem);
}
