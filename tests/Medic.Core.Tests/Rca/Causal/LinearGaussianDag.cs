using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Medic.Core.Tests.Rca.Causal;

/// <summary>
/// A random linear-Gaussian DAG, the usual benchmark of causal discovery: variables in a random
/// causal order, each earlier one a parent of each later one with a fixed probability, weights
/// uniform on ±[0.5, 1.5], independent N(0, 1) noise.
/// </summary>
internal sealed class LinearGaussianDag
{
    private LinearGaussianDag(double[,] weights) => Weights = weights;

    /// <summary>Weights[parent, child]; zero where there is no edge.</summary>
    public double[,] Weights { get; }

    public int Count => Weights.GetLength(0);

    /// <summary>A DAG whose nodes have <paramref name="expectedParents"/> parents on average.</summary>
    public static LinearGaussianDag Random(int count, double expectedParents, Random random, double minWeight = 0.5, double maxWeight = 1.5)
    {
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var probability = 2 * expectedParents / (count - 1);
        var weights = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                if (random.NextDouble() < probability)
                {
                    var magnitude = minWeight + ((maxWeight - minWeight) * random.NextDouble());
                    weights[order[i], order[j]] = random.Next(2) == 0 ? magnitude : -magnitude;
                }
            }
        }

        return new LinearGaussianDag(weights);
    }

    /// <summary>A DAG with exactly the given edges, each of the given weight.</summary>
    public static LinearGaussianDag Of(int count, params (int From, int To, double Weight)[] edges)
    {
        var weights = new double[count, count];
        foreach (var (from, to, weight) in edges)
        {
            weights[from, to] = weight;
        }

        return new LinearGaussianDag(weights);
    }

    public bool HasEdge(int a, int b) => Weights[a, b] != 0 || Weights[b, a] != 0;

    /// <summary>The correlations the DAG implies: x = Wᵀx + ε, so Σ = (I − Wᵀ)⁻¹(I − W)⁻¹.</summary>
    public double[,] PopulationCorrelation()
    {
        var weights = Matrix<double>.Build.DenseOfArray(Weights);
        var inverse = (Matrix<double>.Build.DenseIdentity(Count) - weights).Inverse();
        var covariance = inverse.Transpose() * inverse;
        var correlation = new double[Count, Count];
        for (var a = 0; a < Count; a++)
        {
            for (var b = 0; b < Count; b++)
            {
                correlation[a, b] = covariance[a, b] / Math.Sqrt(covariance[a, a] * covariance[b, b]);
            }
        }

        return correlation;
    }

    /// <summary><paramref name="samples"/> draws, one array per variable.</summary>
    public double[][] Sample(int samples, Random random)
    {
        var data = Enumerable.Range(0, Count).Select(_ => new double[samples]).ToArray();
        foreach (var node in TopologicalOrder())
        {
            for (var s = 0; s < samples; s++)
            {
                var value = Normal.Sample(random, 0, 1);
                for (var parent = 0; parent < Count; parent++)
                {
                    if (Weights[parent, node] != 0)
                    {
                        value += Weights[parent, node] * data[parent][s];
                    }
                }

                data[node][s] = value;
            }
        }

        return data;
    }

    private List<int> TopologicalOrder()
    {
        var order = new List<int>();
        var placed = new bool[Count];
        while (order.Count < Count)
        {
            for (var node = 0; node < Count; node++)
            {
                if (!placed[node] && Enumerable.Range(0, Count).All(p => Weights[p, node] == 0 || placed[p]))
                {
                    placed[node] = true;
                    order.Add(node);
                }
            }
        }

        return order;
    }
}
