using MathNet.Numerics.LinearAlgebra;

namespace Medic.Core.Detection.Streaming;

/// <summary>The orders of an ARIMA(p,d,q) model with seasonal differencing: (1−B)^d (1−B^s)^D y is ARMA(p,q).</summary>
/// <param name="P">Autoregressive order.</param>
/// <param name="D">Differences.</param>
/// <param name="Q">Moving-average order.</param>
/// <param name="SeasonalD">Seasonal differences.</param>
/// <param name="Period">The season, for seasonal differencing.</param>
public sealed record ArimaOrder(int P, int D, int Q, int SeasonalD = 0, int Period = 0)
{
    /// <summary>Values lost to differencing: d + D·s.</summary>
    public int Lost => D + (SeasonalD * Period);
}

/// <summary>
/// ARIMA fitted by conditional least squares on a window: the differenced series is regressed on
/// its own lags (and, for q &gt; 0, on the residuals of a long autoregression, as Hannan and
/// Rissanen do), then the sum of squared one-step errors is minimised by Gauss-Newton from there.
/// Used as a one-step forecaster: the forecast, and the error's standard deviation for the interval.
/// </summary>
public sealed class ArimaModel
{
    internal ArimaModel(ArimaOrder order, double intercept, double[] ar, double[] ma, double sigma)
    {
        (Order, Intercept, Ar, Ma, Sigma) = (order, intercept, ar, ma, sigma);
    }

    /// <summary>The orders fitted.</summary>
    public ArimaOrder Order { get; }

    /// <summary>c in w_t = c + Σφ·w_{t−i} + Σθ·e_{t−j} + e_t, w the differenced series.</summary>
    public double Intercept { get; }

    /// <summary>φ₁..φp.</summary>
    public double[] Ar { get; }

    /// <summary>θ₁..θq.</summary>
    public double[] Ma { get; }

    /// <summary>Standard deviation of the one-step error (the residuals' root mean square, corrected for the parameters).</summary>
    public double Sigma { get; }

    /// <summary>Fits <paramref name="order"/> to <paramref name="y"/>; null when the window is too short for it.</summary>
    public static ArimaModel? Fit(ReadOnlySpan<double> y, ArimaOrder order)
    {
        var difference = DifferencePolynomial(order);
        var w = new double[y.Length - order.Lost];
        if (w.Length < (3 * (order.P + order.Q + 1)) + 10)
        {
            return null;
        }

        for (var t = 0; t < w.Length; t++)
        {
            var i = t + order.Lost;
            w[t] = y[i];
            for (var k = 0; k < difference.Length; k++)
            {
                w[t] += difference[k] * y[i - k - 1];
            }
        }

        var start = StartingValues(w, order.P, order.Q);
        var parameters = Refine(w, order.P, order.Q, start);
        var squares = SumOfSquares(w, order.P, order.Q, parameters);
        var used = w.Length - Math.Max(order.P, order.Q);
        var sigma = Math.Sqrt(squares / Math.Max(1, used - parameters.Length));
        return new ArimaModel(order, parameters[0], parameters[1..(1 + order.P)], parameters[(1 + order.P)..], sigma);
    }

    /// <summary>a₁..a_k of the differencing polynomial (1−B)^d (1−B^s)^D = 1 + Σ a_k B^k.</summary>
    internal static double[] DifferencePolynomial(ArimaOrder order)
    {
        var polynomial = new double[order.Lost + 1];
        polynomial[0] = 1;
        for (var i = 0; i < order.D; i++)
        {
            Multiply(polynomial, 1);
        }

        for (var i = 0; i < order.SeasonalD; i++)
        {
            Multiply(polynomial, order.Period);
        }

        return polynomial[1..];

        // polynomial × (1 − B^lag), in place (the array is long enough for the product).
        static void Multiply(double[] polynomial, int lag)
        {
            for (var k = polynomial.Length - 1; k >= lag; k--)
            {
                polynomial[k] -= polynomial[k - lag];
            }
        }
    }

    /// <summary>Hannan–Rissanen: a long autoregression for residuals, then least squares on lags of both.</summary>
    private static double[] StartingValues(double[] w, int p, int q)
    {
        var residuals = new double[w.Length];
        var m = 0;
        if (q > 0)
        {
            m = Math.Min(Math.Max(p + q, 10), (w.Length / 4) - 1);
            var longAr = LeastSquares(w, m, t => [1, .. Enumerable.Range(1, m).Select(i => w[t - i])]);
            for (var t = m; t < w.Length; t++)
            {
                var fit = longAr[0];
                for (var i = 1; i <= m; i++)
                {
                    fit += longAr[i] * w[t - i];
                }

                residuals[t] = w[t] - fit;
            }
        }

        var first = m + q;
        return LeastSquares(w, Math.Max(first, p), t => [1, .. Enumerable.Range(1, p).Select(i => w[t - i]), .. Enumerable.Range(1, q).Select(j => residuals[t - j])]);
    }

    private static double[] LeastSquares(double[] w, int first, Func<int, double[]> row)
    {
        var rows = Enumerable.Range(first, w.Length - first).Select(row).ToArray();
        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        var target = Vector<double>.Build.Dense([.. w.Skip(first)]);
        return [.. x.QR().Solve(target)];
    }

    /// <summary>Gauss-Newton on the conditional sum of squares, with a numerical Jacobian and step halving.</summary>
    private static double[] Refine(double[] w, int p, int q, double[] parameters)
    {
        if (q == 0)
        {
            return parameters;
        }

        var current = SumOfSquares(w, p, q, parameters);
        for (var iteration = 0; iteration < 20; iteration++)
        {
            var errors = Errors(w, p, q, parameters);
            var jacobian = Matrix<double>.Build.Dense(errors.Length, parameters.Length);
            for (var k = 0; k < parameters.Length; k++)
            {
                var nudged = (double[])parameters.Clone();
                var h = 1e-6 * Math.Max(1, Math.Abs(parameters[k]));
                nudged[k] += h;
                var moved = Errors(w, p, q, nudged);
                for (var t = 0; t < errors.Length; t++)
                {
                    jacobian[t, k] = (moved[t] - errors[t]) / h;
                }
            }

            var step = jacobian.QR().Solve(Vector<double>.Build.Dense(errors));
            var improved = false;
            for (var scale = 1.0; scale > 1e-4 && !improved; scale /= 2)
            {
                var candidate = parameters.Select((v, k) => v - (scale * step[k])).ToArray();
                var squares = SumOfSquares(w, p, q, candidate);
                if (squares < current && Invertible(candidate.AsSpan(1 + p)))
                {
                    (parameters, current, improved) = (candidate, squares, true);
                }
            }

            if (!improved || step.L2Norm() < 1e-8)
            {
                break;
            }
        }

        return parameters;
    }

    /// <summary>Whether the moving-average part dies away (a sufficient check: Σ|θ| &lt; 1).</summary>
    private static bool Invertible(ReadOnlySpan<double> ma)
    {
        var sum = 0.0;
        foreach (var theta in ma)
        {
            sum += Math.Abs(theta);
        }

        return sum < 1;
    }

    private static double SumOfSquares(double[] w, int p, int q, double[] parameters) => Errors(w, p, q, parameters).Sum(e => e * e);

    /// <summary>One-step errors from max(p,q) on, earlier errors taken as zero (the conditional in conditional least squares).</summary>
    private static double[] Errors(double[] w, int p, int q, double[] parameters)
    {
        var first = Math.Max(p, q);
        var all = new double[w.Length];
        for (var t = first; t < w.Length; t++)
        {
            var forecast = parameters[0];
            for (var i = 1; i <= p; i++)
            {
                forecast += parameters[i] * w[t - i];
            }

            for (var j = 1; j <= q; j++)
            {
                forecast += parameters[p + j] * all[t - j];
            }

            all[t] = w[t] - forecast;
        }

        return all[first..];
    }
}
