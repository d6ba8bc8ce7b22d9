namespace Medic.Bench;

/// <summary>One band of a reliability table: the diagnoses whose confidence fell in [From, To).</summary>
internal sealed record ReliabilityBin(double From, double To, int Cases, double MeanConfidence, double Accuracy);

/// <summary>
/// How well diagnosis confidences are calibrated: the Brier score (mean squared gap between the
/// leading hypothesis' confidence and whether it was right; 0 is perfect, 0.25 is a coin) and a
/// reliability table (in each confidence band, how often the leader was right).
/// </summary>
internal sealed record Calibration(int Cases, double? BrierScore, IReadOnlyList<ReliabilityBin> Bins)
{
    private const int BinCount = 5;

    public static Calibration Of(IReadOnlyList<(double Confidence, bool Right)> diagnoses)
    {
        var bins = Enumerable.Range(0, BinCount).Select(b =>
        {
            double from = b / (double)BinCount, to = (b + 1) / (double)BinCount;
            var inside = diagnoses.Where(d => d.Confidence >= from && (d.Confidence < to || (b == BinCount - 1 && d.Confidence <= to))).ToList();
            return new ReliabilityBin(from, to, inside.Count, inside.Count == 0 ? 0 : inside.Average(d => d.Confidence), inside.Count == 0 ? 0 : inside.Average(d => d.Right ? 1.0 : 0.0));
        }).ToList();
        var brier = diagnoses.Count == 0 ? (double?)null : diagnoses.Average(d => Math.Pow(d.Confidence - (d.Right ? 1 : 0), 2));
        return new Calibration(diagnoses.Count, brier, bins);
    }
}
