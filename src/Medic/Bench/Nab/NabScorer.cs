namespace Medic.Bench.Nab;

/// <summary>One file's score at a threshold, with NAB's per-row counts.</summary>
internal sealed record NabFileScore(string File, double Score, int TruePositives, int TrueNegatives, int FalsePositives, int FalseNegatives);

/// <summary>A profile's corpus score: the threshold, the raw sum over files and the score normalised to 0..100.</summary>
internal sealed record NabProfileScore(string Profile, double Threshold, double Raw, double Normalized, IReadOnlyList<NabFileScore> Files);

/// <summary>A detector's scores for one file, a score in [0,1] per row.</summary>
internal sealed record NabResult(NabFile File, double[] Scores);

/// <summary>
/// Scores anomaly detections as the Numenta Anomaly Benchmark does: each labelled window earns
/// its earliest detection's weight on a scaled sigmoid (full credit at its left edge) or costs a
/// miss; each detection outside the windows costs, less when just after one; the first 15% of a
/// file is not scored; one threshold is chosen for the whole corpus; the sum is normalised between
/// the null detector (0) and a perfect one (100).
/// </summary>
internal static class NabScorer
{
    /// <summary>Scores every profile, each at the threshold that maximises its corpus score.</summary>
    public static IReadOnlyList<NabProfileScore> Score(IReadOnlyList<NabResult> results, IReadOnlyList<NabProfile> profiles) =>
        [.. profiles.Select(p => Score(results, p, Optimize(results, p)))];

    /// <summary>Scores one profile at <paramref name="threshold"/>: a row is a detection when its score is at least it.</summary>
    public static NabProfileScore Score(IReadOnlyList<NabResult> results, NabProfile profile, double threshold)
    {
        var files = results.Select(r => ScoreFile(r, profile, threshold)).ToList();
        var raw = files.Sum(f => f.Score);
        var perfect = profile.TruePositive * results.Sum(r => r.File.Windows.Count);
        var none = -profile.FalseNegative * results.Sum(r => ScoredWindows(r.File));
        return new NabProfileScore(profile.Name, threshold, raw, 100 * (raw - none) / (perfect - none), files);
    }

    /// <summary>One file's score at <paramref name="threshold"/>.</summary>
    public static NabFileScore ScoreFile(NabResult result, NabProfile profile, double threshold)
    {
        var (file, scores) = (result.File, result.Scores);
        var weights = Weights(file, profile);
        var windowOf = WindowOf(file);
        var earliest = new double?[file.Windows.Count];
        double falsePositives = 0;
        int tp = 0, tn = 0, fp = 0, fn = 0;
        for (var i = file.Probation; i < scores.Length; i++)
        {
            var detected = scores[i] >= threshold;
            var window = windowOf[i];
            if (window >= 0)
            {
                if (detected)
                {
                    tp++;
                    earliest[window] = Math.Max(earliest[window] ?? double.MinValue, weights[i]);
                }
                else
                {
                    fn++;
                }
            }
            else if (detected)
            {
                fp++;
                falsePositives += weights[i];
            }
            else
            {
                tn++;
            }
        }

        var windows = 0.0;
        for (var w = 0; w < file.Windows.Count; w++)
        {
            if (file.Windows[w].End >= file.Probation)
            {
                windows += earliest[w] ?? -profile.FalseNegative;
            }
        }

        return new NabFileScore(file.Name, windows + falsePositives, tp, tn, fp, fn);
    }

    /// <summary>
    /// The threshold with the best corpus score: every distinct score of a scored row is tried, and
    /// 1.1, which detects nothing; on a tie the highest wins. One sweep from the highest score down,
    /// rows of equal score switching on together.
    /// </summary>
    public static double Optimize(IReadOnlyList<NabResult> results, NabProfile profile)
    {
        var rows = new List<(double Score, double Weight, int Window)>();
        var windowBase = 0;
        foreach (var (file, scores) in results)
        {
            var weights = Weights(file, profile);
            var windowOf = WindowOf(file);
            for (var i = file.Probation; i < scores.Length; i++)
            {
                rows.Add((scores[i], weights[i], windowOf[i] < 0 ? -1 : windowBase + windowOf[i]));
            }

            windowBase += file.Windows.Count;
        }

        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        var earliest = new double?[windowBase];
        var windows = -profile.FalseNegative * results.Sum(r => ScoredWindows(r.File));
        var falsePositives = 0.0;
        var (best, bestThreshold) = (windows, 1.1);
        for (var start = 0; start < rows.Count;)
        {
            var score = rows[start].Score;
            var end = start;
            for (; end < rows.Count && rows[end].Score == score; end++)
            {
                var (_, weight, window) = rows[end];
                if (window < 0)
                {
                    falsePositives += weight;
                }
                else if (earliest[window] is not { } held)
                {
                    windows += weight + profile.FalseNegative;
                    earliest[window] = weight;
                }
                else if (weight > held)
                {
                    windows += weight - held;
                    earliest[window] = weight;
                }
            }

            if (windows + falsePositives > best)
            {
                (best, bestThreshold) = (windows + falsePositives, score);
            }

            start = end;
        }

        return bestThreshold;
    }

    /// <summary>
    /// Each row's weight if detected: inside a window, from the full true-positive weight at its
    /// left edge falling toward 0 at its right; outside, the full false-positive cost, less just
    /// after the preceding window.
    /// </summary>
    public static double[] Weights(NabFile file, NabProfile profile)
    {
        var weights = new double[file.Values.Length];
        var maxTruePositive = Scaled(-1.0);
        int? previousEnd = null;
        var previousWidth = 0;
        var next = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (next < file.Windows.Count && i >= file.Windows[next].Start)
            {
                var (start, end) = file.Windows[next];
                var width = end - start + 1;
                weights[i] = Scaled(-(end - i + 1) / (double)width) * profile.TruePositive / maxTruePositive;
                if (i == end)
                {
                    (previousEnd, previousWidth) = (end, width);
                    next++;
                }
            }
            else
            {
                weights[i] = previousEnd is { } r
                    ? Scaled(Math.Abs(r - i) / (double)(previousWidth - 1)) * profile.FalsePositive
                    : -profile.FalsePositive;
            }
        }

        return weights;
    }

    /// <summary>NAB's scaled sigmoid: 1 far before 0, 0 at 0, -1 from 3 on.</summary>
    private static double Scaled(double y) => y > 3.0 ? -1.0 : (2 / (1 + Math.Exp(5 * y))) - 1;

    private static int ScoredWindows(NabFile file) => file.Windows.Count(w => w.End >= file.Probation);

    private static int[] WindowOf(NabFile file)
    {
        var windowOf = new int[file.Values.Length];
        Array.Fill(windowOf, -1);
        for (var w = 0; w < file.Windows.Count; w++)
        {
            for (var i = file.Windows[w].Start; i <= file.Windows[w].End; i++)
            {
                windowOf[i] = w;
            }
        }

        return windowOf;
    }
}
