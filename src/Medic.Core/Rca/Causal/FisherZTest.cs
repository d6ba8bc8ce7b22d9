using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Medic.Core.Rca.Causal;

/// <summary>
/// Fisher's z test of conditional independence for (near) Gaussian data: x ⫫ y | S when the partial
/// correlation of x and y given S is zero. The correlation matrix is computed once; each test inverts
/// only the small sub-matrix of {x, y} ∪ S, and its p-value is cached (PC-stable asks many twice).
/// </summary>
public sealed class FisherZTest
{
    // Determinants of correlation matrices lie in [0, 1] and are the product of the eigenvalues:
    // below this, some combination of the variables is (nearly) exactly determined by the others.
    private const double SingularDeterminant = 1e-10;
    private const double MaxAbsoluteCorrelation = 1 - 1e-12;

    private readonly double _samples;
    private readonly double[,] _correlation;
    private readonly bool[] _constant;
    private readonly Dictionary<TestKey, double> _cache = [];

    /// <summary>Computes the correlation matrix of <paramref name="variables"/> (one array of samples per variable, all of one length).</summary>
    /// <exception cref="ArgumentException">The variables are not all of one length, or a value is not finite.</exception>
    public FisherZTest(IReadOnlyList<double[]> variables)
    {
        Samples = variables.Count == 0 ? 0 : variables[0].Length;
        _samples = Samples;
        for (var i = 0; i < variables.Count; i++)
        {
            if (variables[i].Length != Samples)
            {
                throw new ArgumentException($"every variable needs {Samples} samples, as the first has; variable {i} has {variables[i].Length}", nameof(variables));
            }

            if (!variables[i].All(double.IsFinite))
            {
                throw new ArgumentException($"variable {i} has a NaN or infinite sample", nameof(variables));
            }
        }

        Count = variables.Count;
        _constant = [.. variables.Select(v => Series.IsConstant(v))];
        var standardised = variables.Select(Standardise).ToArray();
        _correlation = new double[Count, Count];
        for (var a = 0; a < Count; a++)
        {
            _correlation[a, a] = 1;
            for (var b = a + 1; b < Count; b++)
            {
                // A constant variable is uncorrelated with everything: conditioning on it changes nothing.
                var r = _constant[a] || _constant[b] ? 0 : Dot(standardised[a], standardised[b]);
                _correlation[a, b] = _correlation[b, a] = Math.Clamp(r, -1, 1);
            }
        }
    }

    /// <summary>A test from a known correlation matrix, as if estimated from <paramref name="samples"/> samples: with the population's, an oracle.</summary>
    internal FisherZTest(double[,] correlation, double samples)
    {
        Count = correlation.GetLength(0);
        Samples = (int)Math.Min(samples, int.MaxValue);
        _samples = samples;
        _correlation = (double[,])correlation.Clone();
        _constant = new bool[Count];
    }

    /// <summary>Variables tested.</summary>
    public int Count { get; }

    /// <summary>Samples of each variable.</summary>
    public int Samples { get; }

    /// <summary>
    /// The two-sided p-value of x ⫫ y | S: √(n − |S| − 3)·|atanh r| against the standard normal, r the
    /// partial correlation. 1 when x or y is constant (it depends on nothing), when x or y is an exact
    /// function of S (then it is constant given S), or when there are too few samples to test.
    /// </summary>
    /// <exception cref="ArgumentException">x, y and the members of S are not distinct variables.</exception>
    public double PValue(int x, int y, IReadOnlyList<int> conditioningSet)
    {
        if (x == y || conditioningSet.Contains(x) || conditioningSet.Contains(y) || conditioningSet.Distinct().Count() != conditioningSet.Count)
        {
            throw new ArgumentException($"x, y and the conditioning set need distinct variables: {x}, {y} | {string.Join(", ", conditioningSet)}", nameof(conditioningSet));
        }

        var key = TestKey.Of(x, y, conditioningSet);
        if (!_cache.TryGetValue(key, out var p))
        {
            p = Compute(x, y, conditioningSet);
            _cache[key] = p;
        }

        return p;
    }

    /// <summary>The partial correlation of x and y given S: −P[x,y]/√(P[x,x]·P[y,y]), P the inverse of their correlation sub-matrix.</summary>
    internal double PartialCorrelation(int x, int y, IReadOnlyList<int> conditioningSet)
    {
        if (conditioningSet.Count == 0)
        {
            return _correlation[x, y];
        }

        int[] indices = [x, y, .. conditioningSet];
        var sub = Matrix<double>.Build.Dense(indices.Length, indices.Length, (i, j) => _correlation[indices[i], indices[j]]);
        var lu = sub.LU();
        var precision = lu.Determinant > SingularDeterminant ? lu.Inverse() : sub.PseudoInverse();
        var scale = precision[0, 0] * precision[1, 1];
        return scale > 0 ? -precision[0, 1] / Math.Sqrt(scale) : 0;
    }

    private double Compute(int x, int y, IReadOnlyList<int> conditioningSet)
    {
        var degrees = _samples - conditioningSet.Count - 3;
        if (_constant[x] || _constant[y] || degrees <= 0)
        {
            return 1;
        }

        var r = PartialCorrelation(x, y, conditioningSet);
        if (double.IsNaN(r))
        {
            return 1;
        }

        r = Math.Clamp(r, -MaxAbsoluteCorrelation, MaxAbsoluteCorrelation);
        var z = 0.5 * Math.Log((1 + r) / (1 - r));
        var statistic = Math.Sqrt(degrees) * Math.Abs(z);
        return Math.Min(1, 2 * Normal.CDF(0, 1, -statistic));
    }

    /// <summary>The samples centred and scaled to unit length, so correlations are dot products.</summary>
    private static double[] Standardise(double[] samples)
    {
        var mean = samples.Average();
        var centred = samples.Select(v => v - mean).ToArray();
        var length = Math.Sqrt(Dot(centred, centred));
        return length > 0 ? [.. centred.Select(v => v / length)] : centred;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>(x, y, S) in a canonical form: x &lt; y and S sorted, as independence is symmetric.</summary>
    private readonly struct TestKey : IEquatable<TestKey>
    {
        private readonly int[] _values;
        private readonly int _hash;

        private TestKey(int[] values)
        {
            _values = values;
            var hash = default(HashCode);
            foreach (var value in values)
            {
                hash.Add(value);
            }

            _hash = hash.ToHashCode();
        }

        public static TestKey Of(int x, int y, IReadOnlyList<int> conditioningSet)
        {
            int[] values = [Math.Min(x, y), Math.Max(x, y), .. conditioningSet];
            Array.Sort(values, 2, conditioningSet.Count);
            return new TestKey(values);
        }

        public bool Equals(TestKey other) => _values.AsSpan().SequenceEqual(other._values);

        public override bool Equals(object? obj) => obj is TestKey other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
