using Medic.Core.Learning.Drift;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Core.Learning;

/// <summary>How far back <c>medic train</c> looks.</summary>
public static class TrainingSince
{
    /// <summary>Without <c>--since</c>: the last 30 days.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);

    /// <summary>At most a year.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);
}

/// <summary>What one training run did.</summary>
/// <param name="Since">The start of the history it learnt from.</param>
/// <param name="Versions">The model versions it wrote, whether or not they took over.</param>
/// <param name="Notes">What it could not do and why, for the person who ran it.</param>
/// <param name="Precision">Each detector's precision from the operators' feedback given in the same window.</param>
public sealed record TrainingReport(DateTimeOffset Since, IReadOnlyList<ModelVersion> Versions, IReadOnlyList<string> Notes, IReadOnlyList<DetectorPrecision> Precision);

/// <summary>
/// The offline training job (<c>medic train</c>): refits, from the stored history since a given time,
/// the RCA confidence calibration (on the diagnoses of real incidents whose root cause operators
/// confirmed) and the detectors' models that have a training window (<see cref="IDetectorTrainer"/>),
/// and evaluates each signature's greedy playbook policy on the learner's logged decisions,
/// validates each candidate against the model in use on the latest part of that history held back
/// from its fit, installs it only if at least as good, and records every version.
/// </summary>
public sealed class TrainingJob(
    DetectorFeedback feedback, IIncidentStore incidents, IModelVersionStore versions, CalibrationInUse calibration, PlaybookLearner learner, TimeProvider clock, IDetectorTrainer? detectors = null)
    : IDisposable
{
    /// <summary>The model name of the RCA confidence calibration in version records.</summary>
    public const string CalibrationModel = "rca_calibration";

    /// <summary>Confirmed diagnoses needed before a calibration is fitted: fewer say more about chance than about the ranker.</summary>
    public const int MinimumDiagnoses = 20;

    /// <summary>The latest share of the confirmed diagnoses held back to validate the candidate on.</summary>
    public const double HeldBack = 0.25;

    /// <summary>The model name of a signature's playbook policy in version records.</summary>
    public const string PolicyModel = "playbook_policy";

    /// <summary>Logged decisions of a signature needed before its greedy policy is evaluated.</summary>
    public const int MinimumLogged = 10;

    /// <summary>Versions read back on start, to find the calibration in use.</summary>
    private const int RestoreLookback = 1_000;

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Learns from the history of the last <paramref name="since"/>; one run at a time.</summary>
    public async Task<TrainingReport> RunAsync(TimeSpan since, CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var from = clock.GetUtcNow() - since;
            var (written, notes) = (new List<ModelVersion>(), new List<string>());
            if (await CalibrateAsync(from, notes, cancellationToken) is { } refit)
            {
                await versions.AddAsync([refit], cancellationToken);
                written.Add(refit);
            }

            var policies = await EvaluatePoliciesAsync(from, notes, cancellationToken);
            await versions.AddAsync(policies, cancellationToken);
            written.AddRange(policies);

            // The detection stage records its refits itself, as it does those for drift.
            var refits = detectors is null ? [] : await detectors.RetrainAsync(from, cancellationToken);
            written.AddRange(refits);
            if (refits.Count == 0)
            {
                notes.Add(detectors is null
                    ? "detectors: none has a training window here (detection.multivariate is off); the robust z-score, Holt-Winters and ARIMA detectors learn online from every sample"
                    : $"detectors: no service's isolation forest has enough points since {from:yyyy-MM-dd HH:mm} UTC to refit on");
            }

            return new TrainingReport(from, written, notes, await feedback.PrecisionAsync(from, cancellationToken));
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Whether an operator's <paramref name="rootCause"/> names the hypothesis' entity: its name, <c>kind/name</c>, or its service.</summary>
    public static bool Names(Entity entity, string rootCause) =>
        string.Equals(rootCause, entity.Name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(rootCause, entity.ToString(), StringComparison.OrdinalIgnoreCase)
        || string.Equals(rootCause, entity.Service, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reinstalls the latest calibration that took over; on start, so a restart keeps what was learnt.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var latest = (await versions.ListAsync(RestoreLookback, cancellationToken)).FirstOrDefault(v => v is { Model: CalibrationModel, Swapped: true, Calibration: not null });
        if (latest is not null)
        {
            calibration.Install(latest.Calibration!, latest.Version);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _running.Dispose();

    /// <summary>
    /// For each signature still exploring, replays its logged decisions since <paramref name="from"/>
    /// to estimate the greedy policy's value (the playbook with the best record, always), and lets it
    /// act — the learner stops exploring there — only if that is at least the logged policy's value.
    /// </summary>
    private async Task<List<ModelVersion>> EvaluatePoliciesAsync(DateTimeOffset from, List<string> notes, CancellationToken cancellationToken)
    {
        var (log, greedy) = await learner.DecisionsAsync(cancellationToken);
        var posteriors = await learner.SnapshotAsync(cancellationToken);
        var evaluated = new List<ModelVersion>();
        var (tooFew, acting) = (0, 0);
        foreach (var signature in log.Where(d => d.At is null || d.At >= from).GroupBy(d => d.Signature))
        {
            if (greedy.ContainsKey(signature.Key))
            {
                acting++;
                continue;
            }

            var decisions = signature.ToList();
            if (decisions.Count < MinimumLogged || !posteriors.TryGetValue(signature.Key, out var arms) || arms.Count == 0)
            {
                tooFew++;
                continue;
            }

            var best = arms.MaxBy(a => a.Value.Mean).Key;
            double Candidate(string _, string playbook) => playbook == best ? 1 : 0;
            var evaluation = new PolicyEvaluation(
                best, decisions.Count, decisions.Count(d => d.PlaybookId == best), decisions.Average(d => d.Reward),
                OffPolicyEvaluation.InversePropensity(decisions, Candidate), OffPolicyEvaluation.SelfNormalized(decisions, Candidate));
            var version = new ModelVersion
            {
                Model = PolicyModel, Key = signature.Key, Version = 2, At = clock.GetUtcNow(), Reason = "train",
                TrainedOn = decisions.Count, Policy = evaluation, Swapped = evaluation.CandidateAtLeastAsGood,
            };
            if (version.Swapped)
            {
                await learner.ActGreedilyAsync(signature.Key, best, cancellationToken);
            }

            evaluated.Add(version);
        }

        if (evaluated.Count + acting + tooFew == 0)
        {
            notes.Add($"playbook policies: no verified decision of the learner since {from:yyyy-MM-dd HH:mm} UTC to evaluate a policy on");
        }
        else if (tooFew > 0)
        {
            notes.Add($"playbook policies: {tooFew} signature(s) with fewer than {MinimumLogged} verified decisions since {from:yyyy-MM-dd HH:mm} UTC keep exploring{(acting > 0 ? $"; {acting} already act greedily" : "")}");
        }

        return evaluated;
    }

    private async Task<ModelVersion?> CalibrateAsync(DateTimeOffset from, List<string> notes, CancellationToken cancellationToken)
    {
        var confirmed = new List<(DateTimeOffset At, double Confidence, bool Right)>();
        foreach (var said in await feedback.ListAsync(cancellationToken))
        {
            if (said is { Verdict: FeedbackVerdict.TruePositive, RootCause: { } cause }
                && await incidents.GetAsync(said.IncidentId, cancellationToken) is { RootCause: { } leader } incident
                && incident.OpenedAt >= from)
            {
                confirmed.Add((incident.OpenedAt, leader.RankerConfidence, Names(leader.Entity, cause)));
            }
        }

        if (confirmed.Count < MinimumDiagnoses)
        {
            notes.Add($"rca calibration: {confirmed.Count} diagnosed real incidents with a confirmed root cause since {from:yyyy-MM-dd HH:mm} UTC; {MinimumDiagnoses} are needed (give feedback with root_cause on real incidents)");
            return null;
        }

        var ordered = confirmed.OrderBy(c => c.At).Select(c => (c.Confidence, c.Right)).ToList();
        var fitted = (int)Math.Round(ordered.Count * (1 - HeldBack));
        var (training, heldBack) = (ordered[..fitted], ordered[fitted..]);
        var candidate = ConfidenceCalibration.Fit(training);
        var check = new CalibrationValidation(heldBack.Count, calibration.Calibration.Brier(heldBack), candidate.Brier(heldBack));
        var version = new ModelVersion
        {
            Model = CalibrationModel, Key = "diagnosis", Version = calibration.Version + 1, At = clock.GetUtcNow(), Reason = "train",
            TrainedOn = training.Count, Calibration = candidate, CalibrationCheck = check, Swapped = check.CandidateAtLeastAsGood,
        };
        if (version.Swapped)
        {
            calibration.Install(candidate, version.Version);
        }

        return version;
    }
}

/// <summary>Refits the detectors' models that have a training window, from the history since a time: the detection stage.</summary>
public interface IDetectorTrainer
{
    /// <summary>Refits, validates and perhaps swaps each model; returns a version for each refit.</summary>
    Task<IReadOnlyList<ModelVersion>> RetrainAsync(DateTimeOffset from, CancellationToken cancellationToken);
}
