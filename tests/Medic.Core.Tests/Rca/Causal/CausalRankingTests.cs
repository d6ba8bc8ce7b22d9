using Medic.Core.Rca.Causal;

namespace Medic.Core.Tests.Rca.Causal;

/// <summary>The random walk with restart that ranks root-cause candidates on a causal graph.</summary>
public sealed class CausalRankingTests
{
    // root=0 → a=1 → b=2 → symptom=3
    private static readonly (int, int)[] Chain = [(0, 1), (1, 2), (2, 3)];

    private static readonly double[][] AnomalousEverywhere = [[1, 1, 1, 1], [0.8, 0.9, 0.95, 1], [0.9, 0.7, 0.8, 1]];

    [Fact]
    public void In_a_chain_of_anomalous_services_the_root_ranks_first()
    {
        var graph = CausalGraph.FromEdges(4, Chain);

        foreach (var scores in AnomalousEverywhere)
        {
            var visits = CausalRanking.RandomWalkWithRestart(graph, scores, start: 3);

            Assert.Equal(0, Array.IndexOf(visits, visits.Max()));
            Assert.Equal(1, visits.Sum(), precision: 9);
        }
    }

    [Fact]
    public void A_node_without_anomaly_never_outranks_the_anomalous_root()
    {
        // quiet=4 causes the root and the symptom, and is caused by nothing anomalous.
        var graph = CausalGraph.FromEdges(5, [.. Chain, (4, 0), (4, 3)]);
        double[] scores = [0.9, 0.8, 0.8, 1, 0];

        foreach (var start in new[] { 3, -1 })
        {
            var visits = CausalRanking.RandomWalkWithRestart(graph, scores, start);

            Assert.True(visits[4] < visits[0], $"start {start}: quiet {visits[4]} root {visits[0]}");
            Assert.Equal(0, visits[4]);
            Assert.Equal(0, Array.IndexOf(visits, visits.Max()));
        }
    }

    [Fact]
    public void An_undirected_edge_is_walked_as_if_to_a_cause()
    {
        // root=0 − symptom=1 undirected, 1 → effect=2: the walk goes up the undirected edge readily.
        var graph = CausalGraph.FromEdges(3, [(1, 2)], [(0, 1)]);

        var visits = CausalRanking.RandomWalkWithRestart(graph, [1, 0.5, 1], start: 1);

        Assert.True(visits[0] > visits[2], $"neighbour {visits[0]} effect {visits[2]}");
    }

    [Fact]
    public void Without_a_backward_weight_effects_are_never_visited()
    {
        var graph = CausalGraph.FromEdges(4, Chain);

        var visits = CausalRanking.RandomWalkWithRestart(graph, [1, 1, 1, 1], start: 1, backwardWeight: 0);

        Assert.Equal(0, visits[2]);
        Assert.Equal(0, visits[3]);
        Assert.True(visits[0] > visits[1]);
    }

    [Fact]
    public void Scores_that_do_not_fit_the_graph_are_rejected()
    {
        var graph = CausalGraph.FromEdges(2, [(0, 1)]);

        Assert.Throws<ArgumentException>(() => CausalRanking.RandomWalkWithRestart(graph, [1], 0));
        Assert.Throws<ArgumentException>(() => CausalRanking.RandomWalkWithRestart(graph, [1, -1], 0));
        Assert.Throws<ArgumentException>(() => CausalRanking.RandomWalkWithRestart(graph, [1, double.NaN], 0));
        Assert.Throws<ArgumentException>(() => CausalRanking.RandomWalkWithRestart(graph, [1, 1], 2));
        Assert.Throws<ArgumentException>(() => CausalRanking.RandomWalkWithRestart(graph, [1, 1], 0, restart: 0));
        Assert.Throws<ArgumentException>(() => CausalGraph.FromEdges(2, [(0, 1), (1, 0)]));
        Assert.Throws<ArgumentException>(() => CausalGraph.FromEdges(2, [(0, 0)]));
    }
}
