using Medic.Core.Rca;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Rca;

public sealed class ConfidenceCalibrationTests
{
    [Fact]
    public void Fitting_recovers_the_calibration_that_generated_the_outcomes()
    {
        // A ranker whose confidences are right σ(0.5·logit(c) + 0.3) of the time: over-sure at the top, unsure at the bottom.
        var truth = new ConfidenceCalibration(0.5, 0.3);
        var diagnoses = Diagnoses(truth, 20_000, seed: 7);

        var fitted = ConfidenceCalibration.Fit(diagnoses);

        Assert.InRange(fitted.Slope, 0.45, 0.55);
        Assert.InRange(fitted.Intercept, 0.25, 0.35);
    }

    [Fact]
    public async Task Fitting_agrees_with_scipy_minimising_the_same_platt_loss()
    {
        var diagnoses = Diagnoses(new ConfidenceCalibration(0.6, 0.4), 300, seed: 9);
        const string Script = """
            import sys, numpy as np
            from scipy.optimize import minimize
            rows = [line.split(',') for line in sys.stdin.read().split()]
            c = np.clip(np.array([float(r[0]) for r in rows]), 1e-4, 1 - 1e-4)
            right = np.array([r[1] == '1' for r in rows])
            n1 = right.sum(); n0 = len(right) - n1
            t = np.where(right, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
            x = np.log(c / (1 - c))
            def loss(p):
                z = p[0] * x + p[1]
                return np.sum(np.logaddexp(0, z) - t * z)
            def grad(p):
                d = 1 / (1 + np.exp(-(p[0] * x + p[1]))) - t
                return np.array([np.sum(d * x), np.sum(d)])
            r = minimize(loss, [1.0, 0.0], jac=grad, method='BFGS', options={'gtol': 1e-12})
            print(repr(r.x[0]), repr(r.x[1]))
            """;
        var input = string.Join('\n', diagnoses.Select(d => FormattableString.Invariant($"{d.Confidence:R},{(d.Right ? 1 : 0)}")));

        var reference = (await DebianPython.RunAsync(Script, input)).Split(' ', StringSplitOptions.TrimEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var fitted = ConfidenceCalibration.Fit(diagnoses);

        Assert.Equal(reference[0], fitted.Slope, 1e-5);
        Assert.Equal(reference[1], fitted.Intercept, 1e-5);
    }

    [Fact]
    public void A_fitted_calibration_scores_a_better_brier_than_the_over_sure_ranker_on_new_diagnoses()
    {
        var truth = new ConfidenceCalibration(0.4, -0.2);
        var fitted = ConfidenceCalibration.Fit(Diagnoses(truth, 400, seed: 1));
        var later = Diagnoses(truth, 4_000, seed: 2);

        Assert.True(fitted.Brier(later) < ConfidenceCalibration.Identity.Brier(later) - 0.01, $"{fitted.Brier(later)} against {ConfidenceCalibration.Identity.Brier(later)}");
    }

    [Fact]
    public void Calibration_keeps_the_order_of_confidences_and_the_identity_changes_nothing()
    {
        var calibration = new ConfidenceCalibration(0.6, 0.4);
        double[] confidences = [0, 0.05, 0.3, 0.5, 0.7, 0.95, 1];

        var calibrated = confidences.Select(calibration.Apply).ToList();

        Assert.Equal(calibrated.Order(), calibrated);
        Assert.All(calibrated, c => Assert.InRange(c, 0, 1));
        Assert.Equal(confidences, confidences.Select(ConfidenceCalibration.Identity.Apply));
    }

    [Fact]
    public void A_ranker_whose_surest_calls_are_wrong_gets_the_base_rate_not_a_reversed_order()
    {
        List<(double, bool)> diagnoses = [.. Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? 0.95 : 0.3, i % 2 != 0 || i % 6 == 0))];

        var fitted = ConfidenceCalibration.Fit(diagnoses);

        Assert.Equal(0, fitted.Slope);
        Assert.Equal(fitted.Apply(0.3), fitted.Apply(0.95));
        Assert.InRange(fitted.Apply(0.5), 0.6, 0.72); // 40 of 60 right, smoothed
    }

    [Fact]
    public void A_handful_of_all_right_diagnoses_does_not_claim_certainty()
    {
        var fitted = ConfidenceCalibration.Fit([(0.9, true), (0.9, true), (0.9, true)]);

        Assert.InRange(fitted.Apply(0.9), 0.7, 0.85); // Platt's smoothed target for 3 of 3: 4/5
    }

    private static List<(double Confidence, bool Right)> Diagnoses(ConfidenceCalibration truth, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var confidence = 0.2 + (0.79 * random.NextDouble());
            return (confidence, random.NextDouble() < truth.Apply(confidence));
        })];
    }
}
