namespace Medic.Core.Rca;

/// <summary>
/// Platt scaling of diagnosis confidences: <c>p' = σ(Slope · logit(p) + Intercept)</c>, fitted on
/// diagnoses whose root cause operators confirmed, so that "80%" is right about four times in five
/// on this estate. The slope is kept at or above zero: a calibration never reverses which hypothesis
/// is the more likely. The identity (slope 1, intercept 0) is the ranker's own confidence.
/// </summary>
/// <param name="Slope">How much the ranker's confidence counts (below 1: it is over-sure).</param>
/// <param name="Intercept">How often it is right regardless (above 0: more often than it says).</param>
public sealed record ConfidenceCalibration(double Slope, double Intercept)
{
    /// <summary>Confidences are clamped this far from 0 and 1 before the logit, so certainty stays finite.</summary>
    private const double Edge = 1e-4;

    /// <summary>The ranker's confidence as it is.</summary>
    public static ConfidenceCalibration Identity { get; } = new(1, 0);

    /// <summary>True for the identity.</summary>
    public bool IsIdentity => Slope == 1 && Intercept == 0;

    /// <summary>The calibrated confidence of a ranker confidence <paramref name="confidence"/>.</summary>
    public double Apply(double confidence) =>
        IsIdentity ? confidence : Math.Round(Sigmoid((Slope * Logit(confidence)) + Intercept), 4);

    /// <summary>The mean squared gap between the calibrated confidence and whether the diagnosis was right (0 is perfect).</summary>
    public double Brier(IReadOnlyList<(double Confidence, bool Right)> diagnoses) =>
        diagnoses.Count == 0 ? 0 : diagnoses.Average(d => Math.Pow(Apply(d.Confidence) - (d.Right ? 1 : 0), 2));

    /// <summary>
    /// The calibration that best explains <paramref name="diagnoses"/> (ranker confidence, confirmed
    /// right or wrong): maximum likelihood by Newton's method, with Platt's smoothed targets
    /// (<c>(n₊+1)/(n₊+2)</c> and <c>1/(n₋+2)</c>) so a handful of cases cannot claim certainty.
    /// </summary>
    public static ConfidenceCalibration Fit(IReadOnlyList<(double Confidence, bool Right)> diagnoses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(diagnoses.Count);
        var right = diagnoses.Count(d => d.Right);
        double high = (right + 1.0) / (right + 2.0), low = 1.0 / (diagnoses.Count - right + 2.0);
        var x = diagnoses.Select(d => Logit(d.Confidence)).ToArray();
        var t = diagnoses.Select(d => d.Right ? high : low).ToArray();

        double a = 1, b = 0;
        var loss = Loss(x, t, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            // Gradient and Hessian of the log-loss in (a, b); a tiny ridge keeps the Hessian invertible when every x is equal.
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < x.Length; i++)
            {
                var p = Sigmoid((a * x[i]) + b);
                var (d, w) = (p - t[i], p * (1 - p));
                (ga, gb) = (ga + (d * x[i]), gb + d);
                (haa, hab, hbb) = (haa + (w * x[i] * x[i]), hab + (w * x[i]), hbb + w);
            }

            var det = (haa * hbb) - (hab * hab);
            double da = ((hbb * ga) - (hab * gb)) / det, db = ((haa * gb) - (hab * ga)) / det;
            // Backtrack until the step lowers the loss enough (Armijo), as Lin, Lin and Weng (2007) advise for Platt scaling.
            var (step, decrease) = (1.0, (ga * da) + (gb * db));
            while (step > 1e-10 && Loss(x, t, a - (step * da), b - (step * db)) > loss - (1e-4 * step * decrease))
            {
                step /= 2;
            }

            if (step <= 1e-10)
            {
                break;
            }

            (a, b) = (a - (step * da), b - (step * db));
            var next = Loss(x, t, a, b);
            var done = loss - next < 1e-12;
            loss = next;
            if (done)
            {
                break;
            }
        }

        // A negative slope would say "the surer the ranker, the likelier wrong": keep order, use the base rate.
        return a > 0 ? new ConfidenceCalibration(a, b) : new ConfidenceCalibration(0, Logit(t.Average()));
    }

    private static double Loss(double[] x, double[] t, double a, double b)
    {
        var loss = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            // log(1 + e^z) - t·z, written to stay finite for large |z|.
            var z = (a * x[i]) + b;
            loss += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - (t[i] * z);
        }

        return loss;
    }

    private static double Logit(double p)
    {
        var q = Math.Clamp(p, Edge, 1 - Edge);
        return Math.Log(q / (1 - q));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
