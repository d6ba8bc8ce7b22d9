using System.Numerics;

namespace Medic.Core.Detection.Decomposition;

/// <summary>
/// The LOESS smoother of STL (tricube weights, local constant or line, optional robustness
/// weights, estimates every <c>jump</c> points with linear interpolation between), as the
/// original Fortran computes it. A point whose window is symmetric, which is every point but the
/// first and last half-window, uses a kernel computed once: without robustness weights it is a
/// fixed filter, with them five dot products, all vectorised. The other points take the direct route.
/// </summary>
internal sealed class Loess
{
    private readonly int _length;
    private readonly int _half;
    private readonly double[] _kernel;
    private readonly double[] _kernelD;
    private readonly double[] _kernelDD;
    private readonly double _kernelSum;

    public Loess(int length)
    {
        _length = length;
        _half = (length - 1) / 2;
        _kernel = new double[length];
        _kernelD = new double[length];
        _kernelDD = new double[length];
        double h = _half, h9 = 0.999 * h, h1 = 0.001 * h;
        for (var k = 0; k < length; k++)
        {
            var d = k - _half;
            var r = Math.Abs(d);
            _kernel[k] = r > h9 ? 0 : r <= h1 ? 1 : Tricube(r / h);
            _kernelD[k] = _kernel[k] * d;
            _kernelDD[k] = _kernel[k] * d * d;
            _kernelSum += _kernel[k];
        }
    }

    /// <summary>Smooths the first <paramref name="n"/> values of <paramref name="y"/> into <paramref name="ys"/>.</summary>
    /// <param name="y">The values.</param>
    /// <param name="n">How many of them.</param>
    /// <param name="degree">0: a local constant; 1: a local line.</param>
    /// <param name="jump">Estimate every this many points and interpolate linearly between.</param>
    /// <param name="rw">Robustness weights, or empty for none.</param>
    /// <param name="rwy">Robustness weights times values (scratch, at least <paramref name="n"/> long) when <paramref name="rw"/> is given.</param>
    /// <param name="ys">The smoothed values.</param>
    /// <param name="scratch">Weights of one estimate, at least <paramref name="n"/> long.</param>
    public void Smooth(ReadOnlySpan<double> y, int n, int degree, int jump, ReadOnlySpan<double> rw, Span<double> rwy, Span<double> ys, Span<double> scratch)
    {
        if (n < 2)
        {
            ys[0] = y[0];
            return;
        }

        var userw = !rw.IsEmpty;
        if (userw)
        {
            for (var i = 0; i < n; i++)
            {
                rwy[i] = rw[i] * y[i];
            }
        }

        var step = Math.Min(jump, n - 1);
        int left = 1, right = n;
        if (_length >= n)
        {
            for (var i = 0; i < n; i += step)
            {
                ys[i] = EstimateOr(y, n, degree, i + 1, left, right, scratch, rw, y[i]);
            }
        }
        else if (step == 1)
        {
            var shift = (_length + 2) / 2;
            right = _length;
            for (var i = 0; i < n; i++)
            {
                if (i + 1 > shift && right != n)
                {
                    left++;
                    right++;
                }

                var xs = i + 1;
                ys[i] = xs - left == _half && right - xs == _half
                    ? Symmetric(y, i, degree, n, rw, rwy)
                    : EstimateOr(y, n, degree, xs, left, right, scratch, rw, y[i]);
            }
        }
        else
        {
            var shift = (_length + 1) / 2;
            for (var i = 0; i < n; i += step)
            {
                if (i + 1 < shift)
                {
                    (left, right) = (1, _length);
                }
                else if (i + 1 >= n - shift + 1)
                {
                    (left, right) = (n - _length + 1, n);
                }
                else
                {
                    (left, right) = (i + 1 - shift + 1, _length + i + 1 - shift);
                }

                ys[i] = EstimateOr(y, n, degree, i + 1, left, right, scratch, rw, y[i]);
            }
        }

        if (step == 1)
        {
            return;
        }

        for (var i = 0; i < n - step; i += step)
        {
            var delta = (ys[i + step] - ys[i]) / step;
            for (var j = i; j < i + step; j++)
            {
                ys[j] = ys[i] + (delta * (j - i));
            }
        }

        var k = ((n - 1) / step * step) + 1;
        if (k != n)
        {
            ys[n - 1] = EstimateOr(y, n, degree, n, left, right, scratch, rw, y[n - 1]);
            if (k != n - 1)
            {
                var delta = (ys[n - 1] - ys[k - 1]) / (n - k);
                for (var j = k; j < n; j++)
                {
                    ys[j] = ys[k - 1] + (delta * (j + 1 - k));
                }
            }
        }
    }

    /// <summary>
    /// The fitted value at <paramref name="xs"/> (1-based, may lie outside 1..n to extrapolate)
    /// from the values <paramref name="left"/>..<paramref name="right"/>, or NaN when every weight is zero.
    /// </summary>
    public double Estimate(ReadOnlySpan<double> y, int n, int degree, int xs, int left, int right, Span<double> w, ReadOnlySpan<double> rw)
    {
        double range = n - 1.0;
        double h = Math.Max(xs - left, right - xs);
        if (_length > n)
        {
            h += (_length - n) / 2;
        }

        double h9 = 0.999 * h, h1 = 0.001 * h, a = 0;
        for (var j = left; j <= right; j++)
        {
            w[j - 1] = 0;
            double r = Math.Abs(j - xs);
            if (r <= h9)
            {
                w[j - 1] = r <= h1 ? 1 : Tricube(r / h);
                if (!rw.IsEmpty)
                {
                    w[j - 1] *= rw[j - 1];
                }

                a += w[j - 1];
            }
        }

        if (a <= 0)
        {
            return double.NaN;
        }

        for (var j = left; j <= right; j++)
        {
            w[j - 1] /= a;
        }

        if (h > 0 && degree > 0)
        {
            a = 0;
            for (var j = left; j <= right; j++)
            {
                a += w[j - 1] * j;
            }

            var b = xs - a;
            var c = 0.0;
            for (var j = left; j <= right; j++)
            {
                c += w[j - 1] * (j - a) * (j - a);
            }

            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (var j = left; j <= right; j++)
                {
                    w[j - 1] *= (b * (j - a)) + 1.0;
                }
            }
        }

        var ys = 0.0;
        for (var j = left; j <= right; j++)
        {
            ys += w[j - 1] * y[j - 1];
        }

        return ys;
    }

    private static double Tricube(double u)
    {
        var v = 1.0 - (u * u * u);
        return v * v * v;
    }

    private double EstimateOr(ReadOnlySpan<double> y, int n, int degree, int xs, int left, int right, Span<double> w, ReadOnlySpan<double> rw, double fallback) =>
        Estimate(y, n, degree, xs, left, right, w, rw) is var estimate && double.IsNaN(estimate) ? fallback : estimate;

    /// <summary>The estimate at index <paramref name="i"/> whose window is centred on it, from the precomputed kernel.</summary>
    private double Symmetric(ReadOnlySpan<double> y, int i, int degree, int n, ReadOnlySpan<double> rw, ReadOnlySpan<double> rwy)
    {
        var start = i - _half;
        if (rw.IsEmpty)
        {
            // Centred and unweighted, the local line's slope term is zero: a fixed filter.
            return Dot(_kernel, y.Slice(start, _length)) / _kernelSum;
        }

        var (s0, s1, s2, y0, y1) = Sums(rw.Slice(start, _length), rwy.Slice(start, _length));
        if (s0 <= 0)
        {
            return y[i];
        }

        if (degree > 0 && _half > 0)
        {
            var mean = s1 / s0;
            var c = (s2 / s0) - (mean * mean);
            if (Math.Sqrt(c) > 0.001 * (n - 1.0))
            {
                return (y0 + (-mean / c * (y1 - (mean * y0)))) / s0;
            }
        }

        return y0 / s0;
    }

    private (double S0, double S1, double S2, double Y0, double Y1) Sums(ReadOnlySpan<double> rw, ReadOnlySpan<double> rwy)
    {
        Vector<double> s0 = default, s1 = default, s2 = default, y0 = default, y1 = default;
        var k = 0;
        for (; k <= _length - Vector<double>.Count; k += Vector<double>.Count)
        {
            var t = new Vector<double>(_kernel, k);
            var td = new Vector<double>(_kernelD, k);
            var weights = new Vector<double>(rw[k..]);
            var weighted = new Vector<double>(rwy[k..]);
            s0 += t * weights;
            s1 += td * weights;
            s2 += new Vector<double>(_kernelDD, k) * weights;
            y0 += t * weighted;
            y1 += td * weighted;
        }

        double a = Vector.Sum(s0), b = Vector.Sum(s1), c = Vector.Sum(s2), d = Vector.Sum(y0), e = Vector.Sum(y1);
        for (; k < _length; k++)
        {
            a += _kernel[k] * rw[k];
            b += _kernelD[k] * rw[k];
            c += _kernelDD[k] * rw[k];
            d += _kernel[k] * rwy[k];
            e += _kernelD[k] * rwy[k];
        }

        return (a, b, c, d, e);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Vector<double> sum = default;
        var k = 0;
        for (; k <= a.Length - Vector<double>.Count; k += Vector<double>.Count)
        {
            sum += new Vector<double>(a[k..]) * new Vector<double>(b[k..]);
        }

        var total = Vector.Sum(sum);
        for (; k < a.Length; k++)
        {
            total += a[k] * b[k];
        }

        return total;
    }
}
