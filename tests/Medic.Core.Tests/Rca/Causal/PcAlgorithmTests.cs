using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Medic.Core.Rca.Causal;
using Xunit.Abstractions;

namespace Medic.Core.Tests.Rca.Causal;

/// <summary>The PC algorithm on random linear-Gaussian DAGs and on small planted structures.</summary>
public sealed class PcAlgorithmTests(ITestOutputHelper output)
{
    private static readonly PcOptions Defaults = new();

    public static TheoryData<double, double> RandomDags => new()
    {
        // expected parents per node, the least average F1 over five DAGs
        { 1.0, 0.9 },
        // Denser DAGs have more true edges whose partial correlation given some set of neighbours is
        // small enough to test independent at 2000 samples; the oracle test shows the search itself is exact.
        { 1.75, 0.75 },
    };

    [Theory]
    [MemberData(nameof(RandomDags))]
    public void Its_average_skeleton_f1_on_random_dags_of_20_nodes_and_2000_samples_is_at_least(double expectedParents, double least)
    {
        var scores = new List<double>();
        for (var seed = 1; seed <= 5; seed++)
        {
            var random = new Random(seed);
            var dag = LinearGaussianDag.Random(20, expectedParents, random);
            var graph = PcAlgorithm.Discover(dag.Sample(2_000, random), Defaults);

            var (precision, recall, f1) = SkeletonScores(dag, graph);
            output.WriteLine($"seed {seed}: {Edges(dag)} true edges, precision {precision:0.000}, recall {recall:0.000}, F1 {f1:0.000}");
            scores.Add(f1);
        }

        output.WriteLine($"{expectedParents} parents per node: average skeleton F1 {scores.Average():0.000}");
        Assert.True(scores.Average() >= least, $"average skeleton F1 {scores.Average():0.000}");
    }

    [Fact]
    public void With_the_population_correlations_it_finds_the_true_skeleton_and_every_collider_and_no_false_direction()
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var dag = LinearGaussianDag.Random(20, expectedParents: 1.75, new Random(seed));

            // So many samples that only partial correlations below ~1e-9 test independent: the search, not the test, is checked.
            var graph = PcAlgorithm.Discover(new FisherZTest(dag.PopulationCorrelation(), samples: 1e18), new PcOptions { MaxConditioningSetSize = 20 }, knowledge: null);

            for (var a = 0; a < dag.Count; a++)
            {
                for (var b = 0; b < dag.Count; b++)
                {
                    Assert.Equal(dag.HasEdge(a, b), graph.IsAdjacent(a, b));
                    Assert.False(graph.IsDirected(a, b) && dag.Weights[a, b] == 0, $"seed {seed}: {a}→{b} is the wrong way");
                    for (var c = b + 1; c < dag.Count; c++)
                    {
                        var collider = dag.Weights[b, a] != 0 && dag.Weights[c, a] != 0 && !dag.HasEdge(b, c);
                        Assert.True(!collider || (graph.IsDirected(b, a) && graph.IsDirected(c, a)), $"seed {seed}: collider {b}→{a}←{c} missed");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_stable_skeleton_does_not_depend_on_the_order_of_the_variables()
    {
        var random = new Random(11);
        var dag = LinearGaussianDag.Random(12, expectedParents: 2, random);
        var data = dag.Sample(300, random);
        var permutation = Enumerable.Range(0, 12).OrderBy(_ => random.Next()).ToArray();

        var graph = PcAlgorithm.Discover(data, Defaults);
        var permuted = PcAlgorithm.Discover([.. permutation.Select(i => data[i])], Defaults);

        for (var a = 0; a < 12; a++)
        {
            for (var b = 0; b < 12; b++)
            {
                Assert.Equal(graph.IsAdjacent(permutation[a], permutation[b]), permuted.IsAdjacent(a, b));
            }
        }
    }

    [Fact]
    public void A_planted_v_structure_is_oriented_as_a_collider()
    {
        // X=0 and Y=1 independent, both causes of Z=2.
        var data = LinearGaussianDag.Of(3, (0, 2, 1.0), (1, 2, 1.0)).Sample(1_000, new Random(1));

        var graph = PcAlgorithm.Discover(data, Defaults);

        Assert.True(graph.IsDirected(0, 2));
        Assert.True(graph.IsDirected(1, 2));
        Assert.False(graph.IsAdjacent(0, 1));
        Assert.Equal([0, 1], graph.Parents(2));
        Assert.Equal([(0, 2), (1, 2)], graph.DirectedEdges);
        Assert.Empty(graph.UndirectedEdges);
    }

    [Fact]
    public void A_chain_is_not_oriented_as_a_collider()
    {
        // X=0 → Y=1 → Z=2: X and Z are separated by Y, so nothing can be oriented.
        var data = LinearGaussianDag.Of(3, (0, 1, 0.8), (1, 2, 0.8)).Sample(1_000, new Random(2));

        var graph = PcAlgorithm.Discover(data, Defaults);

        Assert.False(graph.IsAdjacent(0, 2));
        Assert.True(graph.IsUndirected(0, 1));
        Assert.True(graph.IsUndirected(1, 2));
        Assert.Equal([(0, 1), (1, 2)], graph.UndirectedEdges);
        Assert.Empty(graph.Parents(1));
        Assert.Equal([0, 2], graph.Neighbours(1));
    }

    [Fact]
    public void Meek_rule_1_orients_the_edge_out_of_a_collider_onwards()
    {
        // X=0 → Z=2 ← Y=1, Z → W=3: W is not adjacent to X or Y, so Z−W cannot point at Z.
        var data = LinearGaussianDag.Of(4, (0, 2, 1.0), (1, 2, 1.0), (2, 3, 0.5)).Sample(1_000, new Random(3));

        var graph = PcAlgorithm.Discover(data, Defaults);

        Assert.True(graph.IsDirected(0, 2));
        Assert.True(graph.IsDirected(1, 2));
        Assert.True(graph.IsDirected(2, 3));
        Assert.Equal([2], graph.Parents(3));
    }

    [Fact]
    public void Meek_rule_1_carries_a_required_direction_down_a_chain()
    {
        var data = LinearGaussianDag.Of(3, (0, 1, 0.8), (1, 2, 0.8)).Sample(1_000, new Random(2));

        var graph = PcAlgorithm.Discover(data, Defaults, new BackgroundKnowledge().Require(0, 1));

        Assert.True(graph.IsDirected(0, 1));
        Assert.True(graph.IsDirected(1, 2));
    }

    [Fact]
    public void A_forbidden_direction_is_never_oriented_even_where_the_data_would()
    {
        var data = LinearGaussianDag.Of(3, (0, 2, 1.0), (1, 2, 1.0)).Sample(1_000, new Random(1));

        var graph = PcAlgorithm.Discover(data, Defaults, new BackgroundKnowledge().Forbid(0, 2));

        // The edge was found, so it points the other way; the collider that contradicts it is dropped.
        Assert.True(graph.IsDirected(2, 0));
        Assert.False(graph.IsDirected(0, 2));
        Assert.True(graph.IsUndirected(1, 2));
    }

    [Fact]
    public void A_required_direction_is_oriented_so_and_followed_by_meek()
    {
        // The data cannot orient a chain; knowledge says Z=2 → Y=1, so Y → X=0 follows.
        var data = LinearGaussianDag.Of(3, (0, 1, 0.8), (1, 2, 0.8)).Sample(1_000, new Random(2));

        var graph = PcAlgorithm.Discover(data, Defaults, new BackgroundKnowledge().Require(2, 1).Require(0, 2));

        Assert.True(graph.IsDirected(2, 1));
        Assert.True(graph.IsDirected(1, 0));
        Assert.False(graph.IsAdjacent(0, 2)); // a required direction does not make an edge
    }

    [Fact]
    public void An_edge_forbidden_both_ways_is_never_found()
    {
        var data = LinearGaussianDag.Of(2, (0, 1, 1.0)).Sample(500, new Random(4));

        var graph = PcAlgorithm.Discover(data, Defaults, new BackgroundKnowledge().Forbid(0, 1).Forbid(1, 0));

        Assert.False(graph.IsAdjacent(0, 1));
    }

    [Fact]
    public void Tiers_keep_later_variables_from_causing_earlier_ones()
    {
        var data = LinearGaussianDag.Of(3, (0, 1, 0.8), (1, 2, 0.8)).Sample(1_000, new Random(2));

        var graph = PcAlgorithm.Discover(data, Defaults, new BackgroundKnowledge().Tier(0, 0).Tier(1, 1).Tier(2, 2));

        Assert.Equal([(0, 1), (1, 2)], graph.DirectedEdges);
    }

    [Fact]
    public void Contradictory_knowledge_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Forbid(0, 1).Require(0, 1));
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Require(0, 1).Forbid(0, 1));
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Require(0, 1).Require(1, 0));
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Require(1, 0).Tier(0, 0).Tier(1, 1));
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Tier(0, 0).Tier(1, 0));
        Assert.Throws<ArgumentException>(() => new BackgroundKnowledge().Forbid(2, 2));
    }

    [Fact]
    public void Malformed_data_is_rejected_with_the_reason()
    {
        double[] four = [1, 2, 3, 4];
        Assert.Contains("same number of samples", Assert.Throws<ArgumentException>(() => PcAlgorithm.Discover([four, [1, 2, 3, 4, 5]], Defaults)).Message, StringComparison.Ordinal);
        Assert.Contains("at least 4 samples", Assert.Throws<ArgumentException>(() => PcAlgorithm.Discover([[1, 2, 3], [3, 2, 1]], Defaults)).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => PcAlgorithm.Discover([four, [1, double.NaN, 3, 4]], Defaults)).Message, StringComparison.Ordinal);
        Assert.Contains("names variable 2", Assert.Throws<ArgumentException>(() => PcAlgorithm.Discover([four, four], Defaults, new BackgroundKnowledge().Forbid(0, 2))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PcAlgorithm.Discover([four, four], new PcOptions { Alpha = 1.5 }));
    }

    [Fact]
    public void Fisher_z_partial_correlation_is_that_of_the_regression_residuals()
    {
        var random = new Random(5);
        var data = LinearGaussianDag.Of(4, (0, 1, 0.7), (0, 2, -0.4), (1, 3, 0.9), (2, 3, 0.6)).Sample(400, random);
        var test = new FisherZTest(data);

        var expected = Correlation(Residuals(data[1], data[0], data[2]), Residuals(data[3], data[0], data[2]));

        Assert.Equal(expected, test.PartialCorrelation(1, 3, [0, 2]), precision: 10);
        Assert.Equal(test.PValue(1, 3, [0, 2]), test.PValue(3, 1, [2, 0]));
        var z = Math.Sqrt(400 - 2 - 3) * Math.Abs(Math.Atanh(expected));
        Assert.Equal(2 * Normal.CDF(0, 1, -z), test.PValue(1, 3, [0, 2]), precision: 10);
        Assert.True(test.PValue(0, 3, []) < 1e-3); // correlated by two paths, though independent given both middles
    }

    [Fact]
    public void A_constant_variable_is_independent_of_everything()
    {
        var random = new Random(6);
        var x = Enumerable.Range(0, 200).Select(_ => Normal.Sample(random, 0, 1)).ToArray();
        var y = x.Select(v => v + Normal.Sample(random, 0, 0.1)).ToArray();
        var constant = Enumerable.Repeat(3.7, 200).ToArray();
        var test = new FisherZTest([x, y, constant]);

        Assert.Equal(1, test.PValue(0, 2, []));
        Assert.Equal(test.PValue(0, 1, []), test.PValue(0, 1, [2]), precision: 6);

        var graph = PcAlgorithm.Discover([x, y, constant], Defaults);
        Assert.True(graph.IsAdjacent(0, 1));
        Assert.Empty(graph.Neighbours(2));
    }

    private static (double Precision, double Recall, double F1) SkeletonScores(LinearGaussianDag dag, CausalGraph graph)
    {
        var (truePositives, found) = (0, 0);
        for (var a = 0; a < dag.Count; a++)
        {
            for (var b = a + 1; b < dag.Count; b++)
            {
                found += graph.IsAdjacent(a, b) ? 1 : 0;
                truePositives += graph.IsAdjacent(a, b) && dag.HasEdge(a, b) ? 1 : 0;
            }
        }

        var precision = found == 0 ? 1 : truePositives / (double)found;
        var recall = truePositives / (double)Edges(dag);
        return (precision, recall, 2 * precision * recall / (precision + recall));
    }

    private static int Edges(LinearGaussianDag dag) =>
        Enumerable.Range(0, dag.Count).Sum(a => Enumerable.Range(a + 1, dag.Count - a - 1).Count(b => dag.HasEdge(a, b)));

    /// <summary>y less its least-squares fit on a constant and the regressors.</summary>
    private static double[] Residuals(double[] y, params double[][] regressors)
    {
        var design = Matrix<double>.Build.Dense(y.Length, regressors.Length + 1, (i, j) => j == 0 ? 1 : regressors[j - 1][i]);
        var target = Vector<double>.Build.DenseOfArray(y);
        return (target - (design * design.QR().Solve(target))).ToArray();
    }

    private static double Correlation(double[] a, double[] b)
    {
        var (meanA, meanB) = (a.Average(), b.Average());
        var covariance = a.Zip(b, (u, v) => (u - meanA) * (v - meanB)).Sum();
        return covariance / Math.Sqrt(a.Sum(u => (u - meanA) * (u - meanA)) * b.Sum(v => (v - meanB) * (v - meanB)));
    }
}
