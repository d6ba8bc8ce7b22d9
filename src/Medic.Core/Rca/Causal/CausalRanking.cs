namespace Medic.Core.Rca.Causal;

/// <summary>
/// Ranking root-cause candidates on a causal graph by a personalised random walk, as CloudRanger
/// (Wang et al., 2018) and MicroCause (Meng et al., 2020) do: a walker starts at the symptom, is
/// drawn to anomalous causes, can step back to anomalous effects when the graph is wrong, and lingers
/// where nothing upstream is more anomalous. Where it spends its time is the ranking.
/// </summary>
public static class CausalRanking
{
    private const int MaxIterations = 200;
    private const double Tolerance = 1e-9;

    /// <summary>
    /// The stationary visit probabilities of a random walk with restart, computed by power iteration
    /// (deterministic, not sampled). From node i the walk moves
    /// <list type="bullet">
    /// <item>to each cause j (a parent, or a neighbour by an undirected edge) with weight sⱼ,</item>
    /// <item>to each effect j (a child) with weight <paramref name="backwardWeight"/>·sⱼ,</item>
    /// <item>nowhere (it stays) with weight max(0, sᵢ − max over causes j of sⱼ): only a node more
    /// anomalous than all its causes holds the walker, which is what a root cause looks like,</item>
    /// </list>
    /// normalised over the node; s are the anomaly scores. With probability <paramref name="restart"/>
    /// each step, and whenever a node has no weight to move by, it restarts.
    /// </summary>
    /// <param name="graph">The causal graph.</param>
    /// <param name="anomalyScores">Non-negative anomaly score of each variable of the graph.</param>
    /// <param name="start">The symptom to restart at; −1 to restart in proportion to the anomaly scores (uniformly if all are zero).</param>
    /// <param name="restart">Probability of restarting each step, in (0, 1].</param>
    /// <param name="backwardWeight">How much less readily the walk moves to an effect than to a cause.</param>
    /// <returns>The visit probability of each node (they sum to 1); the higher, the likelier the root cause.</returns>
    /// <exception cref="ArgumentException">The scores do not match the graph or are negative or not finite, or a parameter is out of range.</exception>
    public static double[] RandomWalkWithRestart(CausalGraph graph, IReadOnlyList<double> anomalyScores, int start, double restart = 0.15, double backwardWeight = 0.3)
    {
        Validate(graph, anomalyScores, start, restart, backwardWeight);
        var count = graph.Count;
        var personalisation = Personalisation(anomalyScores, start);
        var moves = Enumerable.Range(0, count).Select(node => Moves(graph, anomalyScores, node, backwardWeight)).ToArray();

        var visits = (double[])personalisation.Clone();
        var next = new double[count];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(next);
            var restarting = restart;
            for (var node = 0; node < count; node++)
            {
                if (moves[node].Length == 0)
                {
                    restarting += (1 - restart) * visits[node];
                    continue;
                }

                foreach (var (to, probability) in moves[node])
                {
                    next[to] += (1 - restart) * visits[node] * probability;
                }
            }

            var change = 0.0;
            for (var node = 0; node < count; node++)
            {
                next[node] += restarting * personalisation[node];
                change += Math.Abs(next[node] - visits[node]);
            }

            (visits, next) = (next, visits);
            if (change < Tolerance)
            {
                break;
            }
        }

        return visits;
    }

    /// <summary>Where the walk goes from <paramref name="node"/>, with probabilities summing to 1; empty when it has nowhere to go.</summary>
    private static (int To, double Probability)[] Moves(CausalGraph graph, IReadOnlyList<double> scores, int node, double backwardWeight)
    {
        var children = graph.Children(node);
        var causes = graph.Neighbours(node).Where(other => !children.Contains(other)).ToList();
        var mostAnomalousCause = causes.Count == 0 ? 0 : causes.Max(cause => scores[cause]);
        List<(int To, double Weight)> weights =
        [
            .. causes.Select(cause => (cause, scores[cause])),
            .. children.Select(child => (child, backwardWeight * scores[child])),
            (node, Math.Max(0, scores[node] - mostAnomalousCause)),
        ];

        var total = weights.Sum(w => w.Weight);
        return total > 0 ? [.. weights.Where(w => w.Weight > 0).Select(w => (w.To, w.Weight / total))] : [];
    }

    private static double[] Personalisation(IReadOnlyList<double> scores, int start)
    {
        var vector = new double[scores.Count];
        if (start >= 0)
        {
            vector[start] = 1;
            return vector;
        }

        var total = scores.Sum();
        for (var node = 0; node < vector.Length; node++)
        {
            vector[node] = total > 0 ? scores[node] / total : 1.0 / vector.Length;
        }

        return vector;
    }

    private static void Validate(CausalGraph graph, IReadOnlyList<double> anomalyScores, int start, double restart, double backwardWeight)
    {
        if (anomalyScores.Count != graph.Count)
        {
            throw new ArgumentException($"the graph has {graph.Count} variables but there are {anomalyScores.Count} anomaly scores", nameof(anomalyScores));
        }

        if (anomalyScores.Any(score => !double.IsFinite(score) || score < 0))
        {
            throw new ArgumentException("anomaly scores must be finite and not negative", nameof(anomalyScores));
        }

        if (start < -1 || start >= graph.Count)
        {
            throw new ArgumentException($"the start must be a variable of the graph (0..{graph.Count - 1}) or −1, not {start}", nameof(start));
        }

        if (!(restart > 0 && restart <= 1))
        {
            throw new ArgumentException("the restart probability must be in (0, 1]", nameof(restart));
        }

        if (!(backwardWeight >= 0 && double.IsFinite(backwardWeight)))
        {
            throw new ArgumentException("the backward weight must be finite and not negative", nameof(backwardWeight));
        }
    }
}
