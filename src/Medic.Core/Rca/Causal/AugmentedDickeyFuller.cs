using MathNet.Numerics.LinearAlgebra;

namespace Medic.Core.Rca.Causal;

/// <summary>
/// The augmented Dickey–Fuller test with a constant: Δyₜ = α + γ·yₜ₋₁ + Σᵢ δᵢ·Δyₜ₋ᵢ + εₜ, and a unit root
/// (γ = 0) is rejected when γ̂'s t-statistic is below MacKinnon's (2010) 5% critical value.
/// </summary>
/// <remarks>
/// The augmenting lags are fixed at ⌊(n − 1)^⅓⌋ rather than chosen by a criterion: Said and Dickey
/// (1984) show a number growing like n^⅓ makes the test valid for ARMA errors, and a fixed rule keeps
/// the check cheap and predictable. Used only to decide whether to difference before a Granger test.
/// </remarks>
internal static class AugmentedDickeyFuller
{
    /// <summary>Whether <paramref name="series"/> rejects a unit root at 5%.</summary>
    public static bool LooksStationary(double[] series)
    {
        var (statistic, rows) = Statistic(series);
        return statistic < CriticalValue(rows);
    }

    /// <summary>γ̂'s t-statistic, and the rows of the regression it came from.</summary>
    public static (double Statistic, int Rows) Statistic(double[] series)
    {
        var lags = (int)Math.Floor(Math.Cbrt(series.Length - 1));
        var first = lags + 1;
        var rows = series.Length - first;
        double Change(int t) => series[t] - series[t - 1];
        var design = Matrix<double>.Build.Dense(rows, lags + 2, (row, column) =>
        {
            var t = row + first;
            return column switch
            {
                0 => 1,
                1 => series[t - 1],
                _ => Change(t - column + 1),
            };
        });
        var target = Vector<double>.Build.Dense(rows, row => Change(row + first));

        var fit = LeastSquares.Fit(design, target);
        return (fit.Coefficients[1] / fit.StandardError(1), rows);
    }

    /// <summary>MacKinnon's (2010) response surface for the 5% critical value with a constant, at <paramref name="rows"/> observations (−2.86 as n → ∞).</summary>
    public static double CriticalValue(int rows)
    {
        double t = rows;
        return -2.86154 - (2.8903 / t) - (4.234 / (t * t)) - (40.040 / (t * t * t));
    }
}
