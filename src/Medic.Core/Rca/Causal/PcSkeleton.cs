namespace Medic.Core.Rca.Causal;

/// <summary>
/// The adjacency search of the PC algorithm: from the complete graph, remove x−y as soon as x and y
/// test independent given some subset of x's other neighbours, trying subsets of size 0, 1, 2, … in
/// turn, and remember that separating set for orienting colliders later.
/// </summary>
internal static class PcSkeleton
{
    /// <summary>Removes the edges of <paramref name="graph"/> found separable; returns the separating set of each removed pair, keyed (min, max).</summary>
    public static Dictionary<(int, int), int[]> Search(PartiallyDirectedGraph graph, FisherZTest test, PcOptions options)
    {
        var separatingSets = new Dictionary<(int, int), int[]>();
        for (var depth = 0; depth <= options.MaxConditioningSetSize; depth++)
        {
            // Nothing left to test once no node has `depth` neighbours besides the one it is paired with.
            var neighbourhoods = Enumerable.Range(0, graph.Count).Select(graph.Neighbours).ToArray();
            if (neighbourhoods.All(neighbours => neighbours.Count - 1 < depth))
            {
                break;
            }

            var removals = new List<(int X, int Y)>();
            for (var x = 0; x < graph.Count; x++)
            {
                // PC-stable tests every pair of a depth against the neighbourhoods as they were when the
                // depth began, so which edges go does not depend on the order the pairs are visited in.
                var neighbours = options.Stable ? neighbourhoods[x] : graph.Neighbours(x);
                foreach (var y in neighbours.ToArray())
                {
                    if (!graph.IsAdjacent(x, y) || separatingSets.ContainsKey(Pair(x, y)))
                    {
                        continue;
                    }

                    var candidates = (options.Stable ? neighbourhoods[x] : graph.Neighbours(x)).Where(v => v != y).ToList();
                    var separating = Subsets.OfSize(candidates, depth).FirstOrDefault(set => test.PValue(x, y, set) > options.Alpha);
                    if (separating is null)
                    {
                        continue;
                    }

                    // The first separating set found is kept: a genuine one (causal-learn's stable
                    // variant unions every set of the depth instead, which need not separate).
                    separatingSets[Pair(x, y)] = separating;
                    if (options.Stable)
                    {
                        removals.Add((x, y));
                    }
                    else
                    {
                        graph.Remove(x, y);
                    }
                }
            }

            foreach (var (x, y) in removals)
            {
                graph.Remove(x, y);
            }
        }

        return separatingSets;
    }

    public static (int, int) Pair(int a, int b) => (Math.Min(a, b), Math.Max(a, b));
}
