namespace Medic.Core.Detection.Multivariate;

/// <summary>
/// Isolation Forest (Liu, Ting and Zhou, 2008) for multivariate points, such as a service's
/// latency, error rate, request rate, CPU and memory together: anomalies are few and different,
/// so random axis-parallel splits isolate them in fewer steps. Each tree is grown on a subsample
/// (256 points by default) to a height of log2 of it; a point's score is 2^(−E[h(x)] / c(ψ)),
/// where h is its path length (plus the expected length in the leaf it reaches) and c(ψ) the
/// average path length of an unsuccessful search in a binary search tree of ψ points: above 0.5
/// leans anomalous, near 1 certainly so. Trees are flat arrays; scoring allocates nothing.
/// </summary>
public sealed class IsolationForest
{
    private const double EulerGamma = 0.5772156649015329;

    private readonly Tree[] _trees;
    private readonly double _normaliser;

    private IsolationForest(Tree[] trees, int subsample, int dimensions)
    {
        _trees = trees;
        _normaliser = AveragePathLength(subsample);
        Dimensions = dimensions;
    }

    /// <summary>Values in each point.</summary>
    public int Dimensions { get; }

    /// <summary>Grows a forest on <paramref name="points"/> (each of the same length).</summary>
    /// <param name="points">The training points.</param>
    /// <param name="trees">Trees in the forest.</param>
    /// <param name="subsample">Points each tree is grown on (fewer when there are fewer).</param>
    /// <param name="random">The source of the random subsamples and splits.</param>
    public static IsolationForest Train(IReadOnlyList<double[]> points, Random random, int trees = 100, int subsample = 256)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("an isolation forest needs at least one training point", nameof(points));
        }

        var dimensions = points[0].Length;
        if (points.Any(p => p.Length != dimensions))
        {
            throw new ArgumentException($"every point needs {dimensions} values", nameof(points));
        }

        var size = Math.Min(subsample, points.Count);
        var heightLimit = (int)Math.Ceiling(Math.Log2(Math.Max(size, 2)));
        var indices = Enumerable.Range(0, points.Count).ToArray();
        var forest = new Tree[trees];
        for (var t = 0; t < trees; t++)
        {
            // A subsample without replacement: the first `size` of a partial shuffle.
            for (var i = 0; i < size; i++)
            {
                var j = random.Next(i, indices.Length);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }

            forest[t] = Tree.Grow(points, indices.AsSpan(0, size).ToArray(), dimensions, heightLimit, random);
        }

        return new IsolationForest(forest, size, dimensions);
    }

    /// <summary>The anomaly score of <paramref name="point"/>, in (0,1]: above 0.5 leans anomalous.</summary>
    public double Score(ReadOnlySpan<double> point)
    {
        if (point.Length != Dimensions)
        {
            throw new ArgumentException($"the forest was trained on {Dimensions} values a point, not {point.Length}", nameof(point));
        }

        var total = 0.0;
        foreach (var tree in _trees)
        {
            total += tree.PathLength(point);
        }

        return Math.Pow(2, -(total / _trees.Length) / _normaliser);
    }

    /// <summary>c(n): the average path length of an unsuccessful search in a binary search tree of n points.</summary>
    internal static double AveragePathLength(int n) => n switch
    {
        <= 1 => 0,
        2 => 1,
        _ => (2 * (Math.Log(n - 1) + EulerGamma)) - (2.0 * (n - 1) / n),
    };

    private static (double Low, double High) Extremes(IReadOnlyList<double[]> points, ReadOnlySpan<int> sample, int feature)
    {
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var i in sample)
        {
            low = Math.Min(low, points[i][feature]);
            high = Math.Max(high, points[i][feature]);
        }

        return (low, high);
    }

    /// <summary>One isolation tree as flat arrays: node i splits on Feature[i] at Threshold[i], or is a leaf of Size[i] points.</summary>
    private sealed class Tree
    {
        private readonly List<int> _feature = [];
        private readonly List<double> _threshold = [];
        private readonly List<int> _left = [];
        private readonly List<int> _right = [];
        private readonly List<int> _size = [];
        private int[] _features = [];
        private double[] _thresholds = [];
        private int[] _lefts = [];
        private int[] _rights = [];
        private int[] _sizes = [];

        public static Tree Grow(IReadOnlyList<double[]> points, int[] sample, int dimensions, int heightLimit, Random random)
        {
            var tree = new Tree();
            tree.Node(points, sample, dimensions, 0, heightLimit, random);
            (tree._features, tree._thresholds, tree._lefts, tree._rights, tree._sizes) = ([.. tree._feature], [.. tree._threshold], [.. tree._left], [.. tree._right], [.. tree._size]);
            return tree;
        }

        /// <summary>How many splits isolate <paramref name="point"/>, plus the expected further length in the leaf it reaches.</summary>
        public double PathLength(ReadOnlySpan<double> point)
        {
            var node = 0;
            var depth = 0;
            while (_lefts[node] >= 0)
            {
                node = point[_features[node]] < _thresholds[node] ? _lefts[node] : _rights[node];
                depth++;
            }

            return depth + AveragePathLength(_sizes[node]);
        }

        private int Node(IReadOnlyList<double[]> points, Span<int> sample, int dimensions, int depth, int heightLimit, Random random)
        {
            var index = _feature.Count;
            _feature.Add(-1);
            _threshold.Add(0);
            _left.Add(-1);
            _right.Add(-1);
            _size.Add(sample.Length);
            if (depth >= heightLimit || sample.Length <= 1)
            {
                return index;
            }

            // A feature drawn uniformly among those that still vary here, split uniformly between its extremes.
            Span<int> varying = stackalloc int[dimensions];
            var count = 0;
            for (var f = 0; f < dimensions; f++)
            {
                var (min, max) = Extremes(points, sample, f);
                if (max > min)
                {
                    varying[count++] = f;
                }
            }

            if (count == 0)
            {
                return index;
            }

            var feature = varying[random.Next(count)];
            var (low, high) = Extremes(points, sample, feature);
            var threshold = low + (random.NextDouble() * (high - low));
            var split = 0;
            for (var i = 0; i < sample.Length; i++)
            {
                if (points[sample[i]][feature] < threshold)
                {
                    (sample[i], sample[split]) = (sample[split], sample[i]);
                    split++;
                }
            }

            if (split == 0 || split == sample.Length)
            {
                return index;
            }

            _feature[index] = feature;
            _threshold[index] = threshold;
            _left[index] = Node(points, sample[..split], dimensions, depth + 1, heightLimit, random);
            _right[index] = Node(points, sample[split..], dimensions, depth + 1, heightLimit, random);
            return index;
        }
    }
}
