namespace Medic.Core.Rca.Causal;

/// <summary>
/// Meek's (1995) rules: orient undirected edges whose other direction would create a new collider
/// or a directed cycle, until none applies. Rules 1–3 complete a pattern of colliders; rule 4 is
/// needed as well once background knowledge has oriented edges of its own.
/// </summary>
internal static class MeekRules
{
    /// <summary>Applies the rules to <paramref name="graph"/> until a fixed point.</summary>
    public static void Apply(PartiallyDirectedGraph graph, bool withRule4)
    {
        bool changed;
        do
        {
            changed = false;
            for (var a = 0; a < graph.Count; a++)
            {
                for (var b = 0; b < graph.Count; b++)
                {
                    if (a != b
                        && graph.IsUndirected(a, b)
                        && (Rule1(graph, a, b) || Rule2(graph, a, b) || Rule3(graph, a, b) || (withRule4 && Rule4(graph, a, b))))
                    {
                        changed |= graph.Orient(a, b);
                    }
                }
            }
        }
        while (changed);
    }

    /// <summary>a→b if c→a with c and b not adjacent: b→a would make c→a←b, a collider the data did not show.</summary>
    internal static bool Rule1(PartiallyDirectedGraph graph, int a, int b) =>
        Others(graph, a, b).Any(c => graph.IsDirected(c, a) && !graph.IsAdjacent(c, b));

    /// <summary>a→b if a→c→b: b→a would close a directed cycle.</summary>
    internal static bool Rule2(PartiallyDirectedGraph graph, int a, int b) =>
        Others(graph, a, b).Any(c => graph.IsDirected(a, c) && graph.IsDirected(c, b));

    /// <summary>
    /// a→b if a−c→b and a−d→b with c and d not adjacent: b→a would force c→a and d→a (a→c or a→d
    /// would close a cycle through b), making c→a←d, a collider the data did not show.
    /// </summary>
    internal static bool Rule3(PartiallyDirectedGraph graph, int a, int b)
    {
        var middles = Others(graph, a, b).Where(c => graph.IsUndirected(a, c) && graph.IsDirected(c, b)).ToList();
        return middles.Any(c => middles.Any(d => d > c && !graph.IsAdjacent(c, d)));
    }

    /// <summary>
    /// a→b if a−c→d→b with a and d adjacent and c and b not: b→a would force d→a, then c→a (either
    /// other way closes a cycle), making c→a←b, a collider the data did not show.
    /// </summary>
    internal static bool Rule4(PartiallyDirectedGraph graph, int a, int b) =>
        Others(graph, a, b).Any(d => graph.IsDirected(d, b) && graph.IsAdjacent(a, d)
            && Others(graph, a, b).Any(c => c != d && graph.IsUndirected(a, c) && graph.IsDirected(c, d) && !graph.IsAdjacent(c, b)));

    private static IEnumerable<int> Others(PartiallyDirectedGraph graph, int a, int b) =>
        Enumerable.Range(0, graph.Count).Where(c => c != a && c != b);
}
