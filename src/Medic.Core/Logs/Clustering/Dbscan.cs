namespace Medic.Core.Logs.Clustering;

/// <summary>
/// DBSCAN (Ester et al., KDD 1996): points with at least <c>minPoints</c> points (themselves
/// included) within <c>eps</c> are core points; core points within <c>eps</c> of each other share a
/// cluster, with the points near them; the rest is noise. The distance is given as a function, so
/// any metric works; the work is O(n²) distance evaluations.
/// </summary>
public static class Dbscan
{
    /// <summary>The label of a noise point.</summary>
    public const int Noise = -1;

    /// <summary>A cluster label per point (from 0, in order of discovery), or <see cref="Noise"/>.</summary>
    public static int[] Cluster(int count, Func<int, int, double> distance, double eps, int minPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPoints, 1);
        const int Unvisited = -2;
        var labels = Enumerable.Repeat(Unvisited, count).ToArray();
        var next = 0;
        for (var p = 0; p < count; p++)
        {
            if (labels[p] != Unvisited)
            {
                continue;
            }

            var neighbours = Neighbours(count, distance, p, eps);
            if (neighbours.Count < minPoints)
            {
                labels[p] = Noise;
                continue;
            }

            var cluster = next++;
            labels[p] = cluster;
            var queue = new Queue<int>(neighbours.Where(q => q != p));
            while (queue.TryDequeue(out var q))
            {
                if (labels[q] == Noise)
                {
                    labels[q] = cluster; // a border point
                }

                if (labels[q] != Unvisited)
                {
                    continue;
                }

                labels[q] = cluster;
                var around = Neighbours(count, distance, q, eps);
                if (around.Count >= minPoints)
                {
                    foreach (var r in around.Where(r => labels[r] is Unvisited or Noise))
                    {
                        queue.Enqueue(r);
                    }
                }
            }
        }

        return labels;
    }

    /// <summary>
    /// An eps for <see cref="Cluster"/> by the k-distance heuristic: each point's distance to its
    /// k-th nearest neighbour, sorted, bends upward where the dense points end; eps is the value at
    /// the bend (the point farthest from the chord between the smallest and the largest).
    /// </summary>
    public static double SuggestEps(int count, Func<int, int, double> distance, int k)
    {
        if (count <= k)
        {
            return 0;
        }

        var kDistances = new double[count];
        var row = new double[count - 1];
        for (var p = 0; p < count; p++)
        {
            var n = 0;
            for (var q = 0; q < count; q++)
            {
                if (q != p)
                {
                    row[n++] = distance(p, q);
                }
            }

            Array.Sort(row);
            kDistances[p] = row[k - 1];
        }

        Array.Sort(kDistances);
        var (first, last) = (kDistances[0], kDistances[^1]);
        if (last - first < 1e-12)
        {
            return last;
        }

        var best = 0;
        var bestGap = double.MinValue;
        for (var i = 0; i < count; i++)
        {
            // Distance below the chord from (0, first) to (count - 1, last), both axes scaled to [0, 1].
            var x = (double)i / (count - 1);
            var y = (kDistances[i] - first) / (last - first);
            if (x - y > bestGap)
            {
                (best, bestGap) = (i, x - y);
            }
        }

        return kDistances[best];
    }

    private static List<int> Neighbours(int count, Func<int, int, double> distance, int p, double eps)
    {
        var result = new List<int>();
        for (var q = 0; q < count; q++)
        {
            if (q == p || distance(p, q) <= eps)
            {
                result.Add(q);
            }
        }

        return result;
    }
}
