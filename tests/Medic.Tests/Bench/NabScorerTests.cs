using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Bench.Nab;
using Medic.Tests.Support;

namespace Medic.Tests.Bench;

/// <summary>The NAB scorer against NAB's own published per-file scores of Numenta's HTM detector.</summary>
public sealed class NabScorerTests
{
    private static readonly Lazy<NabCorpus> Corpus = new(() => NabCorpus.Load(SharedBenchmarks.Folder("nab")));

    [Fact]
    public void Numentas_published_per_file_scores_and_dev_totals_are_reproduced()
    {
        var nab = SharedBenchmarks.Folder("nab");
        var results = NumentaResults(nab);
        var thresholds = JsonNode.Parse(File.ReadAllText(Path.Combine(nab, "reference", "nab_thresholds.json")))!["numenta"]!;
        var published = File.ReadLines(Path.Combine(nab, "reference", "nab_published_per_file_scores_dev.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .Where(c => c[0] == "numenta")
            .ToList();
        Assert.Equal(35 * 3, published.Count);

        var expected = new Dictionary<string, (double Raw, double Normalized)>
        {
            ["standard"] = (18.116056, 66.469),
            ["reward_low_FP_rate"] = (10.967074, 59.970),
            ["reward_low_FN_rate"] = (7.116056, 70.979),
        };
        foreach (var profile in Corpus.Value.Profiles)
        {
            var threshold = thresholds[profile.Name]!["threshold"]!.GetValue<double>();
            var score = NabScorer.Score(results, profile, threshold);
            foreach (var row in published.Where(c => c[1] == profile.Name))
            {
                var file = score.Files.Single(f => f.File == row[2]);
                Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), file.Score, 1e-9);
                Assert.Equal((int.Parse(row[5], CultureInfo.InvariantCulture), int.Parse(row[6], CultureInfo.InvariantCulture), int.Parse(row[7], CultureInfo.InvariantCulture), int.Parse(row[8], CultureInfo.InvariantCulture)), (file.TruePositives, file.TrueNegatives, file.FalsePositives, file.FalseNegatives));
            }

            Assert.Equal(expected[profile.Name].Raw, score.Raw, 1e-6);
            Assert.Equal(expected[profile.Name].Normalized, score.Normalized, 1e-3);
        }
    }

    [Fact]
    public void The_optimised_threshold_is_at_least_as_good_as_any_other_and_the_null_detector_scores_zero()
    {
        var results = NumentaResults(SharedBenchmarks.Folder("nab"));
        var standard = Corpus.Value.Profiles[0];

        var best = NabScorer.Score(results, standard, NabScorer.Optimize(results, standard));
        foreach (var threshold in new[] { 0.3, 0.5, 0.5421876907348634, 0.6, 0.9 })
        {
            Assert.True(best.Raw >= NabScorer.Score(results, standard, threshold).Raw, $"threshold {threshold}");
        }

        var nothing = Corpus.Value.Files.Select(f => new NabResult(f, Enumerable.Repeat(0.5, f.Values.Length).ToArray())).ToList();
        Assert.Equal(0, NabScorer.Score(nothing, standard, NabScorer.Optimize(nothing, standard)).Normalized, 9);
        var perfect = Corpus.Value.Files.Select(f => new NabResult(f, Enumerable.Range(0, f.Values.Length).Select(i => f.Windows.Any(w => w.Start == i) ? 1.0 : 0.0).ToArray())).ToList();
        Assert.Equal(100, NabScorer.Score(perfect, standard, NabScorer.Optimize(perfect, standard)).Normalized, 9);
    }

    [Fact]
    public void Weights_run_from_full_credit_at_a_windows_left_edge_to_the_full_false_positive_cost_far_after_it()
    {
        var file = new NabFile("x/y.csv", new DateTime[100], new double[100], [(40, 49)]);
        var standard = new NabProfile("standard", 1.0, 0.11, 1.0);

        var weights = NabScorer.Weights(file, standard);

        Assert.Equal(-0.11, weights[0], 12);
        Assert.Equal(1.0, weights[40], 12);
        Assert.True(weights[45] is > 0 and < 1);
        Assert.True(weights[49] > 0 && weights[49] < weights[45]);
        Assert.True(weights[50] is < 0 and > -0.11);
        Assert.Equal(-0.11, weights[99], 12);
    }

    /// <summary>Numenta HTM's published scores for the DEV files, in the corpus' order.</summary>
    private static List<NabResult> NumentaResults(string nab) =>
        [.. Corpus.Value.Files.Select(f =>
        {
            var category = Path.GetDirectoryName(f.Name)!;
            var path = Path.Combine(nab, "reference", "numenta", category, "numenta_" + Path.GetFileName(f.Name));
            var scores = File.ReadLines(path).Skip(1).Select(l => double.Parse(l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(f.Values.Length, scores.Length);
            return new NabResult(f, scores);
        })];
}
