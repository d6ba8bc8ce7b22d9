using Medic.Core.Logs.Clustering;

namespace Medic.Core.Tests.Logs;

public sealed class DbscanTests
{
    [Fact]
    public void Two_dense_groups_and_an_outlier_are_found()
    {
        // Points on a line: 0, 0.1, 0.2, 0.3 | 5, 5.1, 5.2 | 10.
        double[] x = [0, 0.1, 0.2, 0.3, 5, 5.1, 5.2, 10];
        var labels = Dbscan.Cluster(x.Length, (a, b) => Math.Abs(x[a] - x[b]), eps: 0.15, minPoints: 3);

        Assert.Equal([0, 0, 0, 0, 1, 1, 1, Dbscan.Noise], labels);
    }

    [Fact]
    public void A_border_point_joins_the_cluster_of_the_core_point_that_reaches_it()
    {
        // 0.35 is within eps of 0.2 (a core point) but has only one other neighbour itself.
        double[] x = [0, 0.1, 0.2, 0.35];
        var labels = Dbscan.Cluster(x.Length, (a, b) => Math.Abs(x[a] - x[b]), eps: 0.15, minPoints: 3);

        Assert.Equal([0, 0, 0, 0], labels);
    }

    [Fact]
    public void Cosine_distance_compares_the_mix_of_templates_not_the_volume()
    {
        var quiet = Vector((1, 2), (2, 1));
        var busy = Vector((1, 20), (2, 10));
        var other = Vector((3, 5));

        Assert.Equal(0, SparseVector.CosineDistance(quiet, busy), 10);
        Assert.Equal(1, SparseVector.CosineDistance(quiet, other), 10);
        Assert.Equal(0, SparseVector.CosineDistance(Vector(), Vector()), 10);
        Assert.Equal(1, SparseVector.CosineDistance(Vector(), quiet), 10);
    }

    [Fact]
    public void The_k_distance_bend_separates_dense_points_from_outliers()
    {
        // Thirty points packed in [0, 0.29] and three far away: eps lands on the dense side.
        var x = Enumerable.Range(0, 30).Select(i => i * 0.01).Concat([5.0, 9.0, 14.0]).ToArray();
        var eps = Dbscan.SuggestEps(x.Length, (a, b) => Math.Abs(x[a] - x[b]), k: 3);

        Assert.InRange(eps, 0.02, 1.0);
        var labels = Dbscan.Cluster(x.Length, (a, b) => Math.Abs(x[a] - x[b]), eps, minPoints: 4);
        Assert.All(labels.Take(30), l => Assert.Equal(0, l));
        Assert.All(labels.Skip(30), l => Assert.Equal(Dbscan.Noise, l));
    }

    [Fact]
    public void A_history_learns_the_usual_windows_then_flags_an_unusual_one_and_a_new_recurring_one()
    {
        var history = new PatternHistory(new PatternHistoryOptions { MinHistory = 20, Recent = 5, ReclusterEvery = 10 });
        var usual = new[] { Vector((1, 10), (2, 5)), Vector((1, 12), (2, 6)), Vector((1, 9), (2, 5), (3, 1)) };
        for (var i = 0; i < 40; i++)
        {
            var verdict = history.Observe(usual[i % usual.Length]);
            Assert.Equal(i < 20 ? PatternVerdict.Learning : PatternVerdict.Known, verdict);
        }

        Assert.Equal(PatternVerdict.Noise, history.Observe(Vector((7, 30), (8, 2))));

        // The same new mix keeps coming: first noise, then a cluster of recent points only.
        var verdicts = Enumerable.Range(0, 4).Select(_ => history.Observe(Vector((5, 8), (6, 8)))).ToList();
        Assert.Equal(PatternVerdict.Noise, verdicts[0]);
        Assert.Contains(PatternVerdict.NewCluster, verdicts);
    }

    private static SparseVector Vector(params (int Key, double Value)[] entries) =>
        new(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));
}
