namespace Medic.Core.Rca.Causal;

/// <summary>The first orientations of the PC algorithm: background knowledge, then unshielded colliders.</summary>
internal static class PcOrientation
{
    /// <summary>
    /// Orients each edge as <paramref name="knowledge"/> says: required directions as given, and an
    /// edge forbidden one way the other way (it was found, so in a DAG it points somewhere).
    /// </summary>
    public static void ApplyKnowledge(PartiallyDirectedGraph graph, BackgroundKnowledge knowledge)
    {
        for (var a = 0; a < graph.Count; a++)
        {
            for (var b = 0; b < graph.Count; b++)
            {
                if (a != b && graph.IsUndirected(a, b) && (knowledge.IsRequired(a, b) || knowledge.IsForbidden(b, a)))
                {
                    graph.Orient(a, b);
                }
            }
        }
    }

    /// <summary>
    /// Orients x→z←y for every unshielded triple x−z−y (x, y not adjacent) whose separating set
    /// lacks z: had z been a chain or a fork between them, conditioning on it would have been what
    /// separated them.
    /// </summary>
    /// <remarks>
    /// With finite data two colliders can disagree about an edge (x→z←y and z→y←w). Rather than
    /// make it bidirected, a collider is oriented only when neither of its edges already points out
    /// of z, and then both at once: the earlier orientation (background knowledge first, then
    /// colliders in order of z, x, y) stands, and a collider that contradicts it is dropped whole,
    /// as causal-learn does with its "prioritise existing colliders" choice. A pair separated only
    /// by background knowledge has no separating set and makes no collider.
    /// </remarks>
    public static void OrientColliders(PartiallyDirectedGraph graph, IReadOnlyDictionary<(int, int), int[]> separatingSets)
    {
        for (var z = 0; z < graph.Count; z++)
        {
            var neighbours = graph.Neighbours(z);
            foreach (var x in neighbours)
            {
                foreach (var y in neighbours.Where(y => y > x && !graph.IsAdjacent(x, y)))
                {
                    if (separatingSets.TryGetValue(PcSkeleton.Pair(x, y), out var separating)
                        && !separating.Contains(z)
                        && !graph.IsDirected(z, x)
                        && !graph.IsDirected(z, y))
                    {
                        graph.Orient(x, z);
                        graph.Orient(y, z);
                    }
                }
            }
        }
    }
}
