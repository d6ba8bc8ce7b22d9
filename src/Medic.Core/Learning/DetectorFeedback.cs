using Medic.Core.Audit;
using Medic.Core.Incidents;
using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Core.Learning;

/// <summary>What an operator said an incident was.</summary>
public enum FeedbackVerdict
{
    /// <summary>Something really was wrong.</summary>
    TruePositive,

    /// <summary>Nothing was wrong: the detectors raised a false alarm.</summary>
    FalsePositive,
}

/// <summary>An operator's word on an incident.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="Verdict">Real or false alarm.</param>
/// <param name="By">Who said so.</param>
/// <param name="At">When.</param>
/// <param name="Note">Why, if they said.</param>
/// <param name="RootCause">For a real incident, the entity that really caused it (<c>checkout</c>, <c>node/node-1</c>), if they said; what RCA calibration is trained on.</param>
public sealed record IncidentFeedback(string IncidentId, FeedbackVerdict Verdict, string By, DateTimeOffset At, string? Note, string? RootCause = null);

/// <summary>How often a detector's signals were in incidents operators called real: its precision from feedback.</summary>
/// <param name="Detector">The model that raised the signals (<c>robust_zscore</c>, <c>holt_winters</c>, ...), or the signal source for others (<c>kubernetes</c>, <c>logs</c>).</param>
/// <param name="TruePositives">Incidents called real that it had a signal in.</param>
/// <param name="FalsePositives">Incidents called false alarms that it had a signal in.</param>
public sealed record DetectorPrecision(string Detector, int TruePositives, int FalsePositives)
{
    /// <summary>TP / (TP + FP); null with no feedback yet.</summary>
    public double? Precision => TruePositives + FalsePositives == 0 ? null : (double)TruePositives / (TruePositives + FalsePositives);
}

/// <summary>
/// Operators' feedback on incidents (real, or a false alarm), kept and audited, one word per incident
/// (the latest counts), and each detector's precision from it: the share of the incidents it had a
/// signal in that were real, over all feedback or since a time (what the training job reports beside its refits).
/// </summary>
public sealed class DetectorFeedback(ISettingsStore store, IIncidentStore incidents, ISignalStore signals, IAuditLog audit, TimeProvider clock) : IDisposable
{
    private const string StoreKey = "feedback";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Records <paramref name="by"/>'s word on an incident; null when there is no such incident.</summary>
    public async Task<IncidentFeedback?> RecordAsync(string incidentId, FeedbackVerdict verdict, string by, string? note, string? rootCause, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(incidentId, cancellationToken) is null)
        {
            return null;
        }

        var feedback = new IncidentFeedback(incidentId, verdict, by, clock.GetUtcNow(), note, rootCause);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var all = await LoadAsync(cancellationToken);
            all[incidentId] = feedback;
            await store.SetJsonAsync(StoreKey, all, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        await audit.AppendAsync(by, "incident.feedback", incidentId, feedback, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(incidentId, feedback.At, "learn", "feedback", $"{by}: {(verdict == FeedbackVerdict.TruePositive ? "a real incident" : "a false alarm")}{(rootCause is null ? "" : $", caused by {rootCause}")}{(note is { Length: > 0 } ? $": {note}" : "")}"), cancellationToken);
        return feedback;
    }

    /// <summary>Every incident's latest feedback.</summary>
    public async Task<IReadOnlyCollection<IncidentFeedback>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return (await LoadAsync(cancellationToken)).Values;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Each detector's precision from the feedback given since <paramref name="since"/> (all of it when null), detectors by name.</summary>
    public async Task<IReadOnlyList<DetectorPrecision>> PrecisionAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, (int True, int False)>(StringComparer.Ordinal);
        foreach (var feedback in (await ListAsync(cancellationToken)).Where(f => since is null || f.At >= since))
        {
            foreach (var detector in (await signals.ListByIncidentAsync(feedback.IncidentId, cancellationToken)).Select(DetectorOf).Distinct(StringComparer.Ordinal))
            {
                var (t, f) = counts.GetValueOrDefault(detector);
                counts[detector] = feedback.Verdict == FeedbackVerdict.TruePositive ? (t + 1, f) : (t, f + 1);
            }
        }

        return [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new DetectorPrecision(c.Key, c.Value.True, c.Value.False))];
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static string DetectorOf(Signal signal) => signal.Model ?? signal.Source;

    private async Task<Dictionary<string, IncidentFeedback>> LoadAsync(CancellationToken cancellationToken) =>
        await store.GetJsonAsync<Dictionary<string, IncidentFeedback>>(StoreKey, cancellationToken) ?? new(StringComparer.Ordinal);
}
