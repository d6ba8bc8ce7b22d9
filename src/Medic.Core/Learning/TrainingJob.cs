using Medic.Core.Audit;
using Medic.Core.Detection.Multivariate;
using Medic.Core.Learning.Drift;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Core.Learning;

/// <summary>
/// The offline training job (<c>medic train</c>): from the history since a given time, refits the RCA
/// confidence calibration (on the diagnoses of real incidents whose root cause operators confirmed),
/// evaluates each signature's greedy playbook policy on the learner's logged decisions, and has the
/// detectors' models that have a training window refit (<see cref="IDetectorTrainer"/>). Each
/// candidate is chosen on the older part of its history and judged against what is in use on the
/// latest part, held back from it; it is recorded, swapped or not, and installed only if at least as
/// good. Installations are audited.
/// </summary>
public sealed class TrainingJob(
    DetectorFeedback feedback, IIncidentStore incidents, IModelVersionStore versions, CalibrationInUse calibration, PlaybookLearner learner, IAuditLog audit, TimeProvider clock, IDetectorTrainer? detectors = null)
    : IDisposable
{
    /// <summary>The model name of the RCA confidence calibration in version records.</summary>
    public const string CalibrationModel = "rca_calibration";

    /// <summary>The model name of a signature's playbook policy in version records.</summary>
    public const string PolicyModel = "playbook_policy";

    /// <summary>Confirmed diagnoses needed before a calibration is fitted: a quarter of them, ten at least, judge it.</summary>
    public const int MinimumDiagnoses = 40;

    /// <summary>Verified decisions of a signature needed before its greedy policy is evaluated: a quarter of them, five at least, judge it.</summary>
    public const int MinimumLogged = 20;

    /// <summary>The latest share of the history held back to judge a candidate on.</summary>
    public const double HeldBack = 0.25;

    /// <summary>How long the detection stage may take to answer before the job reports it did not.</summary>
    public static readonly TimeSpan DetectorTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Who installs what the job trains, in the audit log.</summary>
    private const string Actor = "medic train";

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Learns from the history of the last <paramref name="since"/>; one run at a time (a second waits for the first).</summary>
    public async Task<TrainingReport> RunAsync(TimeSpan since, CancellationToken cancellationToken) =>
        await TryRunAsync(since, Timeout.InfiniteTimeSpan, cancellationToken) ?? throw new InvalidOperationException("unreachable: an unbounded wait always enters");

    /// <summary>As <see cref="RunAsync"/>, but null when another run does not finish within <paramref name="wait"/>.</summary>
    public async Task<TrainingReport?> TryRunAsync(TimeSpan since, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!await _running.WaitAsync(wait, cancellationToken))
        {
            return null;
        }

        try
        {
            var from = clock.GetUtcNow() - since;
            var (written, notes) = (new List<ModelVersion>(), new List<string>());
            if (await CalibrateAsync(from, notes, cancellationToken) is { } refit)
            {
                written.Add(refit);
            }

            written.AddRange(await EvaluatePoliciesAsync(from, notes, cancellationToken));
            written.AddRange(await RetrainDetectorsAsync(from, notes, cancellationToken));
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
        if (await versions.LatestSwappedAsync(CalibrationModel, cancellationToken) is { Calibration: { } latest } version)
        {
            calibration.Install(latest, version.Version);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _running.Dispose();

    /// <summary>Records a candidate, then, if it took over, installs it and says so in the audit log.</summary>
    private async Task RecordAsync(ModelVersion version, Func<Task> install, CancellationToken cancellationToken)
    {
        await versions.AddAsync([version], cancellationToken);
        if (version.Swapped)
        {
            await install();
            await audit.AppendAsync(Actor, "model.installed", $"{version.Model}/{version.Key}", version, cancellationToken);
        }
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
        await RecordAsync(version, () => { calibration.Install(candidate, version.Version); return Task.CompletedTask; }, cancellationToken);
        return version;
    }

    /// <summary>
    /// For each signature still exploring: the playbook whose greedy policy ("always this one") is
    /// estimated best on the older logged decisions since <paramref name="from"/> is replayed on the
    /// latest quarter, held back, with inverse propensity scoring; it may act (the learner stops
    /// exploring there) only if its estimate is at least what the logged decisions earned there.
    /// </summary>
    private async Task<List<ModelVersion>> EvaluatePoliciesAsync(DateTimeOffset from, List<string> notes, CancellationToken cancellationToken)
    {
        var (log, greedy) = await learner.DecisionsAsync(cancellationToken);
        var earlier = (await versions.ListAsync(PolicyModel, 10_000, cancellationToken)).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Max(v => v.Version), StringComparer.Ordinal);
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
            if (decisions.Count < MinimumLogged)
            {
                tooFew++;
                continue;
            }

            var fitted = (int)Math.Round(decisions.Count * (1 - HeldBack));
            var (older, heldBack) = (decisions[..fitted], decisions[fitted..]);
            var best = older.Select(d => d.PlaybookId).Distinct(StringComparer.Ordinal)
                .MaxBy(p => OffPolicyEvaluation.SelfNormalized(older, (_, chosen) => chosen == p ? 1 : 0))!;
            double Candidate(string _, string playbook) => playbook == best ? 1 : 0;
            var evaluation = new PolicyEvaluation(
                best, heldBack.Count, heldBack.Count(d => d.PlaybookId == best), heldBack.Average(d => d.Reward),
                OffPolicyEvaluation.InversePropensity(heldBack, Candidate), OffPolicyEvaluation.SelfNormalized(heldBack, Candidate));
            var version = new ModelVersion
            {
                Model = PolicyModel, Key = signature.Key, Version = earlier.GetValueOrDefault(signature.Key, 1) + 1, At = clock.GetUtcNow(), Reason = "train",
                TrainedOn = older.Count, Policy = evaluation, Swapped = evaluation.CandidateAtLeastAsGood,
            };
            await RecordAsync(version, () => learner.ActGreedilyAsync(signature.Key, best, cancellationToken), cancellationToken);
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

    /// <summary>Has the detection stage refit its trained models; it records the refits itself, as it does those for drift.</summary>
    private async Task<IReadOnlyList<ModelVersion>> RetrainDetectorsAsync(DateTimeOffset from, List<string> notes, CancellationToken cancellationToken)
    {
        if (detectors is null)
        {
            notes.Add("detectors: none has a training window here (detection.multivariate is off); the robust z-score, Holt-Winters and ARIMA detectors learn online from every sample");
            return [];
        }

        try
        {
            var refits = await detectors.RetrainAsync(from, cancellationToken).WaitAsync(DetectorTimeout, cancellationToken);
            if (refits.Count == 0)
            {
                notes.Add($"detectors: no service's isolation forest has {ServiceVectors.MinimumTraining} points since {from:yyyy-MM-dd HH:mm} UTC still in its window to refit on");
            }

            return refits;
        }
        catch (TimeoutException)
        {
            notes.Add($"detectors: the detection stage did not answer within {DetectorTimeout.TotalMinutes:0} minutes (is telemetry flowing, is the server busy?); the forests were not refit, try again");
            return [];
        }
    }
}
