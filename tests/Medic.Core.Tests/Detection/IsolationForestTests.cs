using System.Globalization;
using Medic.Core.Detection.Multivariate;
using Medic.Core.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Core.Tests.Detection;

/// <summary>Isolation Forest against scikit-learn's on the same data, and streaming on a service's signals.</summary>
public sealed class IsolationForestTests(ITestOutputHelper output)
{
    private const string Reference = """
        import sys, json
        import numpy as np
        from sklearn.ensemble import IsolationForest
        from sklearn.metrics import roc_auc_score
        case = json.loads(sys.stdin.read())
        train, test, labels = np.array(case["train"]), np.array(case["test"]), np.array(case["labels"])
        aucs = [roc_auc_score(labels, -IsolationForest(random_state=seed).fit(train).score_samples(test)) for seed in range(5)]
        print(repr(float(np.mean(aucs))))
        """;

    public static TheoryData<string, int, int> Datasets => new()
    {
        // name, dimensions, seed
        { "a service's five signals, correlated, with shifted points", 5, 1 },
        { "two clusters and scattered outliers", 2, 2 },
        { "ten dimensions, anomalies in two of them", 10, 3 },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task Its_roc_auc_is_within_0_02_of_scikit_learns_on_the_same_data(string name, int dimensions, int seed)
    {
        var (train, test, labels) = Dataset(dimensions, seed);

        var ours = Enumerable.Range(0, 5).Average(s =>
        {
            var forest = IsolationForest.Train(train, new Random(s));
            return Auc([.. test.Select(p => forest.Score(p))], labels);
        });
        var input = $$"""{"train": {{Json(train)}}, "test": {{Json(test)}}, "labels": [{{string.Join(",", labels.Select(l => l ? 1 : 0))}}]}""";
        var theirs = double.Parse(await DebianPython.RunAsync(Reference, input), CultureInfo.InvariantCulture);

        output.WriteLine($"{name}: Medic {ours:0.0000}, scikit-learn {theirs:0.0000}");
        Assert.True(Math.Abs(ours - theirs) <= 0.02, $"{name}: Medic {ours:0.0000}, scikit-learn {theirs:0.0000}");
        Assert.True(ours > 0.8, $"{name}: AUC {ours:0.0000}");
    }

    [Fact]
    public void Streaming_scores_a_point_unlike_the_window_high_and_regrows_on_schedule()
    {
        var random = new Random(4);
        var streaming = new StreamingIsolationForest(dimensions: 3, window: 1_000, retrainEvery: 250);
        double normal = 0;
        for (var i = 0; i < 1_000; i++)
        {
            normal = streaming.Observe([Normal(random), Normal(random), Normal(random)]);
        }

        var anomalous = streaming.Observe([6, -6, 6]);

        Assert.Equal(4, streaming.Generation);
        Assert.True(anomalous > 0.7, $"anomalous {anomalous}");
        Assert.True(normal < 0.6, $"normal {normal}");
        Assert.Throws<ArgumentException>(() => streaming.Observe([1, 2]));
    }

    /// <summary>Correlated normal points for training; a test set with 5% points shifted in some dimensions.</summary>
    private static (List<double[]> Train, List<double[]> Test, bool[] Labels) Dataset(int dimensions, int seed)
    {
        var random = new Random(seed);
        double[] Point()
        {
            var common = Normal(random);
            return [.. Enumerable.Range(0, dimensions).Select(d => (seed == 2 && random.Next(2) == 0 ? 4 : 0) + (0.7 * common) + (0.5 * Normal(random)) + d)];
        }

        var train = Enumerable.Range(0, 1_000).Select(_ => Point()).ToList();
        var test = new List<double[]>();
        var labels = new bool[600];
        for (var i = 0; i < labels.Length; i++)
        {
            var point = Point();
            if (i % 20 == 0)
            {
                labels[i] = true;
                foreach (var d in Enumerable.Range(0, dimensions).Where(d => d < 2 || random.Next(3) == 0))
                {
                    point[d] += (random.Next(2) == 0 ? -1 : 1) * (2.5 + (2 * random.NextDouble()));
                }
            }

            test.Add(point);
        }

        return (train, test, labels);
    }

    /// <summary>ROC AUC: the probability that an anomaly scores above a normal point (ties count half).</summary>
    private static double Auc(double[] scores, bool[] labels)
    {
        var positives = scores.Where((_, i) => labels[i]).ToArray();
        var negatives = scores.Where((_, i) => !labels[i]).ToArray();
        var wins = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0));
        return wins / (positives.Length * (double)negatives.Length);
    }

    private static string Json(List<double[]> points) =>
        "[" + string.Join(",", points.Select(p => "[" + string.Join(",", p.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
