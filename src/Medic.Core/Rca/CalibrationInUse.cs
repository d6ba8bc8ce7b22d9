namespace Medic.Core.Rca;

/// <summary>
/// The confidence calibration diagnoses apply now and its version (0: none yet, the ranker's own
/// confidences); the training job installs a new one when it validates. Thread-safe.
/// </summary>
public sealed class CalibrationInUse
{
    private volatile Installed _installed = new(ConfidenceCalibration.Identity, 0);

    /// <summary>The calibration applied.</summary>
    public ConfidenceCalibration Calibration => _installed.Calibration;

    /// <summary>Its model version.</summary>
    public int Version => _installed.Version;

    /// <summary>Makes <paramref name="calibration"/> the one applied from now on.</summary>
    public void Install(ConfidenceCalibration calibration, int version) => _installed = new(calibration, version);

    /// <summary>The hypotheses with calibrated confidences, each keeping the ranker's own in <see cref="Hypothesis.Uncalibrated"/>.</summary>
    public IReadOnlyList<Hypothesis> Apply(IReadOnlyList<Hypothesis> hypotheses)
    {
        var calibration = Calibration;
        return calibration.IsIdentity
            ? hypotheses
            : [.. hypotheses.Select(h => h with { Confidence = calibration.Apply(h.Confidence), Uncalibrated = h.Confidence })];
    }

    private sealed record Installed(ConfidenceCalibration Calibration, int Version);
}
