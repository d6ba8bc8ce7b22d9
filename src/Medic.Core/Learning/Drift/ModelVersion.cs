using Medic.Core.Rca;

namespace Medic.Core.Learning.Drift;

/// <summary>
/// One refit of a model and what became of it: why it was refit, what it was trained on, how the
/// candidate and the model in use did on the held-back points, and whether it took over.
/// </summary>
public sealed record ModelVersion
{
    /// <summary>The kind of model, e.g. isolation_forest.</summary>
    public required string Model { get; init; }

    /// <summary>Which one: for a service's forest, the service.</summary>
    public required string Key { get; init; }

    /// <summary>The candidate's version: one more than the version in use.</summary>
    public required int Version { get; init; }

    /// <summary>When it was refit.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Why: drift (the watch flagged it) or train (the offline training job).</summary>
    public required string Reason { get; init; }

    /// <summary>The drift judgement that triggered the refit, when drift did.</summary>
    public DriftReading? Drift { get; init; }

    /// <summary>Points the candidate was trained on.</summary>
    public required int TrainedOn { get; init; }

    /// <summary>For a detector: how the model in use and the candidate did on the held-back points.</summary>
    public ModelValidation? Validation { get; init; }

    /// <summary>For the RCA calibration: the candidate's parameters.</summary>
    public ConfidenceCalibration? Calibration { get; init; }

    /// <summary>For the RCA calibration: how the calibration in use and the candidate did on the held-back diagnoses.</summary>
    public CalibrationValidation? CalibrationCheck { get; init; }

    /// <summary>For a playbook policy: the greedy candidate's value estimated on the logged decisions, beside theirs.</summary>
    public PolicyEvaluation? Policy { get; init; }

    /// <summary>Whether the candidate took over (it was at least as good on every count).</summary>
    public required bool Swapped { get; init; }
}

/// <summary>A candidate against the model in use on held-back recent points, in shadow: neither raised anything while judged.</summary>
/// <param name="Normal">Held-back points known normal (nothing else was abnormal on the service then).</param>
/// <param name="Abnormal">Recent points known abnormal (another detector had an anomaly open on the service).</param>
/// <param name="CurrentFalseAlarms">Normal points the model in use would have flagged.</param>
/// <param name="CandidateFalseAlarms">Normal points the candidate would have flagged.</param>
/// <param name="CurrentCaught">Abnormal points the model in use flags.</param>
/// <param name="CandidateCaught">Abnormal points the candidate flags.</param>
public sealed record ModelValidation(int Normal, int Abnormal, int CurrentFalseAlarms, int CandidateFalseAlarms, int CurrentCaught, int CandidateCaught)
{
    /// <summary>Known-normal held-back points a judgement needs: on a handful, a tie in false alarms says nothing.</summary>
    public const int MinimumNormal = 30;

    /// <summary>Enough known-normal points were held back to judge on.</summary>
    public bool Conclusive => Normal >= MinimumNormal;

    /// <summary>At least as good on both counts: no more false alarms, no fewer anomalies caught.</summary>
    public bool CandidateAtLeastAsGood => CandidateFalseAlarms <= CurrentFalseAlarms && CandidateCaught >= CurrentCaught;
}

/// <summary>A candidate confidence calibration against the one in use on the latest confirmed diagnoses, held back from its fit.</summary>
/// <param name="Cases">Diagnoses held back.</param>
/// <param name="CurrentBrier">Brier score of the calibration in use on them (0 is perfect).</param>
/// <param name="CandidateBrier">Brier score of the candidate on them.</param>
public sealed record CalibrationValidation(int Cases, double CurrentBrier, double CandidateBrier)
{
    /// <summary>No worse than the calibration in use.</summary>
    public bool CandidateAtLeastAsGood => CandidateBrier <= CurrentBrier;
}

/// <summary>
/// A greedy policy (always the playbook with the best record) replayed on the decisions the learner
/// logged for one signature, before it may act: inverse propensity scoring with the logged propensities.
/// </summary>
/// <param name="PlaybookId">The playbook the greedy policy picks.</param>
/// <param name="Decisions">Logged decisions replayed.</param>
/// <param name="Supported">Logged decisions that chose the same playbook: the ones the estimate rests on.</param>
/// <param name="LoggedValue">The mean reward the logged decisions earned.</param>
/// <param name="Ips">The greedy policy's value by inverse propensity scoring.</param>
/// <param name="SelfNormalized">Its self-normalised estimate, the one judged (far less variable with few decisions).</param>
public sealed record PolicyEvaluation(string PlaybookId, int Decisions, int Supported, double LoggedValue, double Ips, double SelfNormalized)
{
    /// <summary>Logged decisions of the greedy policy's own choice an estimate needs.</summary>
    public const int MinimumSupport = 3;

    /// <summary>Estimated at least as good as the logged policy, on enough of its own choices.</summary>
    public bool CandidateAtLeastAsGood => Supported >= MinimumSupport && SelfNormalized >= LoggedValue;
}
