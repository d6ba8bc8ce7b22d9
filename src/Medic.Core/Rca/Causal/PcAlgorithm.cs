namespace Medic.Core.Rca.Causal;

/// <summary>
/// The PC algorithm (Spirtes, Glymour and Scheines): causal structure from observational data,
/// assuming no hidden common causes. It finds the skeleton by conditional independence tests
/// (Fisher's z, so the data should be roughly linear-Gaussian), orients the colliders the tests
/// reveal and what follows from them by Meek's rules. Edges the data cannot orient stay undirected.
/// </summary>
public static class PcAlgorithm
{
    /// <summary>The smallest number of samples Fisher's z can test with (n − |S| − 3 must be positive).</summary>
    public const int MinimumSamples = 4;

    /// <summary>Learns a causal graph over <paramref name="variables"/>.</summary>
    /// <param name="variables">One array of samples per variable, all of one length, aligned in time.</param>
    /// <param name="options">Significance level and search limits.</param>
    /// <param name="knowledge">Directions known beforehand; variables are the indices into <paramref name="variables"/>.</param>
    /// <returns>The learned graph, variable i being <paramref name="variables"/>[i].</returns>
    /// <exception cref="ArgumentException">The variables differ in length, have fewer than <see cref="MinimumSamples"/> samples or a NaN, or the knowledge names a variable that is not there.</exception>
    public static CausalGraph Discover(IReadOnlyList<double[]> variables, PcOptions options, BackgroundKnowledge? knowledge = null)
    {
        options.Validate();
        Validate(variables, knowledge);
        return Discover(new FisherZTest(variables), options, knowledge);
    }

    /// <summary>The algorithm proper, on a test already built.</summary>
    internal static CausalGraph Discover(FisherZTest test, PcOptions options, BackgroundKnowledge? knowledge)
    {
        var graph = new PartiallyDirectedGraph(test.Count);
        if (knowledge is not null)
        {
            RemoveEdgesForbiddenBothWays(graph, knowledge);
        }

        var separatingSets = PcSkeleton.Search(graph, test, options);
        if (knowledge is not null)
        {
            PcOrientation.ApplyKnowledge(graph, knowledge);
        }

        PcOrientation.OrientColliders(graph, separatingSets);
        MeekRules.Apply(graph, withRule4: knowledge is not null);
        return graph.ToCausalGraph();
    }

    private static void RemoveEdgesForbiddenBothWays(PartiallyDirectedGraph graph, BackgroundKnowledge knowledge)
    {
        for (var a = 0; a < graph.Count; a++)
        {
            for (var b = a + 1; b < graph.Count; b++)
            {
                if (knowledge.IsForbidden(a, b) && knowledge.IsForbidden(b, a))
                {
                    graph.Remove(a, b);
                }
            }
        }
    }

    private static void Validate(IReadOnlyList<double[]> variables, BackgroundKnowledge? knowledge)
    {
        if (variables.Count == 0)
        {
            throw new ArgumentException("the PC algorithm needs at least one variable", nameof(variables));
        }

        var samples = variables[0].Length;
        for (var i = 0; i < variables.Count; i++)
        {
            if (variables[i].Length != samples)
            {
                throw new ArgumentException($"every variable needs the same number of samples: variable 0 has {samples}, variable {i} has {variables[i].Length}", nameof(variables));
            }

            var bad = Array.FindIndex(variables[i], v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException($"variable {i} has a NaN or infinite sample at {bad}", nameof(variables));
            }
        }

        if (samples < MinimumSamples)
        {
            throw new ArgumentException($"the PC algorithm needs at least {MinimumSamples} samples per variable, not {samples}", nameof(variables));
        }

        if (knowledge is not null && knowledge.HighestVariable >= variables.Count)
        {
            throw new ArgumentException($"the background knowledge names variable {knowledge.HighestVariable}, but there are only {variables.Count}", nameof(knowledge));
        }
    }
}
