namespace Medic.Core.Detection.Decomposition;

/// <summary>A series split into season, trend and what is left, with the robustness weight of each value.</summary>
public sealed record StlResult(double[] Seasonal, double[] Trend, double[] Residual, double[] Weights);

/// <summary>
/// Seasonal-trend decomposition by LOESS (Cleveland, Cleveland, McRae and Terpenning, 1990), the
/// robust variant included, computed as the original Fortran and statsmodels' <c>STL</c> compute
/// it: an inner loop of cycle-subseries smoothing, low-pass filtering and trend smoothing, and an
/// outer loop of bisquare robustness weights on the residuals.
/// </summary>
public static class Stl
{
    /// <summary>Decomposes <paramref name="series"/>; the options must suit it (<see cref="StlOptions.Problem"/>).</summary>
    public static StlResult Decompose(ReadOnlySpan<double> series, StlOptions options)
    {
        if (options.Problem(series.Length) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var run = new Run(series, options);
        var outer = options.Outer;
        for (var k = 0; ; k++)
        {
            run.InnerLoop(options.Inner);
            if (k + 1 > outer)
            {
                break;
            }

            run.UpdateWeights();
        }

        var residual = new double[series.Length];
        for (var i = 0; i < residual.Length; i++)
        {
            residual[i] = series[i] - run.Season[i] - run.Trend[i];
        }

        return new StlResult(run.Season, run.Trend, residual, run.Weights);
    }

    /// <summary>The state of one decomposition: the components so far and the work arrays.</summary>
    private sealed class Run
    {
        private readonly double[] _y;
        private readonly StlOptions _options;
        private readonly int _n;
        private readonly int _period;
        private readonly Loess _seasonal;
        private readonly Loess _trend;
        private readonly Loess _lowPass;
        private readonly double[][] _work;
        private readonly double[] _rwy;
        private readonly double[] _subseriesScratch;
        private readonly double[] _subseriesRwy;
        private readonly double[] _residuals;
        private bool _useWeights;

        public Run(ReadOnlySpan<double> y, StlOptions options)
        {
            _y = y.ToArray();
            _options = options;
            _n = y.Length;
            _period = options.Period;
            _seasonal = new Loess(options.Seasonal);
            _trend = new Loess(options.TrendLength);
            _lowPass = new Loess(options.LowPassLength);
            _work = [.. Enumerable.Range(0, 5).Select(_ => new double[_n + (2 * _period)])];
            _rwy = new double[_n + (2 * _period)];
            _subseriesScratch = new double[(_n / _period) + 3];
            _subseriesRwy = new double[(_n / _period) + 3];
            _residuals = new double[_n];
            Season = new double[_n];
            Trend = new double[_n];
            Weights = new double[_n];
            Array.Fill(Weights, 1.0);
        }

        public double[] Season { get; }

        public double[] Trend { get; }

        public double[] Weights { get; }

        /// <summary>Passes of seasonal smoothing, low-pass filtering of the seasonal, and trend smoothing of the deseasonalised series.</summary>
        public void InnerLoop(int passes)
        {
            var (w0, w1, w2, w4) = (_work[0], _work[1], _work[2], _work[4]);
            var rw = _useWeights ? Weights : [];
            for (var pass = 0; pass < passes; pass++)
            {
                for (var i = 0; i < _n; i++)
                {
                    w0[i] = _y[i] - Trend[i];
                }

                SmoothCycleSubseries(w0, w1);
                LowPassFilter(w1, w2, w0);
                _lowPass.Smooth(w2, _n, _options.LowPassDegree, _options.LowPassJump, [], _rwy, w0, w4);
                for (var i = 0; i < _n; i++)
                {
                    Season[i] = w1[_period + i] - w0[i];
                    w0[i] = _y[i] - Season[i];
                }

                _trend.Smooth(w0, _n, _options.TrendDegree, _options.TrendJump, rw, _rwy, Trend, w2);
            }
        }

        /// <summary>Bisquare weights of the residuals, scaled by six times their median absolute value.</summary>
        public void UpdateWeights()
        {
            var residuals = _residuals;
            for (var i = 0; i < _n; i++)
            {
                residuals[i] = Math.Abs(_y[i] - (Trend[i] + Season[i]));
                Weights[i] = residuals[i];
            }

            Array.Sort(residuals);
            var cmad = 3.0 * (residuals[_n / 2] + residuals[_n - (_n / 2) - 1]);
            if (cmad == 0)
            {
                Array.Fill(Weights, 1.0);
                _useWeights = true;
                return;
            }

            double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
            for (var i = 0; i < _n; i++)
            {
                var r = Weights[i];
                Weights[i] = r <= c1 ? 1.0 : r <= c9 ? Square(1.0 - Square(r / cmad)) : 0.0;
            }

            _useWeights = true;
        }

        private static double Square(double x) => x * x;

        /// <summary>
        /// Smooths each cycle-subseries (every value at one phase of the season) and extends it by one
        /// value at each end, into <paramref name="season"/> (n + 2·period long).
        /// </summary>
        private void SmoothCycleSubseries(double[] detrended, double[] season)
        {
            var subseries = _work[2];
            var smoothed = _work[3];
            var weights = _work[4];
            var scratch = _subseriesScratch;
            var subRwy = _subseriesRwy;
            var ns = _options.Seasonal;
            var degree = _options.SeasonalDegree;
            for (var j = 0; j < _period; j++)
            {
                var k = ((_n - (j + 1)) / _period) + 1;
                for (var i = 0; i < k; i++)
                {
                    subseries[i] = detrended[(i * _period) + j];
                    weights[i] = _useWeights ? Weights[(i * _period) + j] : 1;
                }

                ReadOnlySpan<double> rw = _useWeights ? weights.AsSpan(0, k) : [];
                _seasonal.Smooth(subseries, k, degree, _options.SeasonalJump, rw, subRwy, smoothed.AsSpan(1), scratch);
                var first = _seasonal.Estimate(subseries, k, degree, 0, 1, Math.Min(ns, k), scratch, rw);
                smoothed[0] = double.IsNaN(first) ? smoothed[1] : first;
                var last = _seasonal.Estimate(subseries, k, degree, k + 1, Math.Max(1, k - ns + 1), k, scratch, rw);
                smoothed[k + 1] = double.IsNaN(last) ? smoothed[k] : last;
                for (var m = 0; m < k + 2; m++)
                {
                    season[(m * _period) + j] = smoothed[m];
                }
            }
        }

        /// <summary>Moving averages of length period, period and 3 of the extended seasonal: n values into <paramref name="result"/>.</summary>
        private void LowPassFilter(double[] season, double[] result, double[] scratch)
        {
            var length = _n + (2 * _period);
            MovingAverage(season, length, _period, result);
            MovingAverage(result, length - _period + 1, _period, scratch);
            MovingAverage(scratch, length - (2 * _period) + 2, 3, result);
        }

        private static void MovingAverage(double[] x, int n, int length, double[] average)
        {
            var sum = 0.0;
            for (var i = 0; i < length; i++)
            {
                sum += x[i];
            }

            average[0] = sum / length;
            for (var j = 1; j < n - length + 1; j++)
            {
                sum += x[j + length - 1] - x[j - 1];
                average[j] = sum / length;
            }
        }
    }
}
