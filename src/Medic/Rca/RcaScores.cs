namespace Medic.Rca;

/// <summary>
/// Service-level accuracy as the RCA literature reports it (one root cause per case): AC@k is the
/// share of cases whose top k holds the root cause, Avg@5 the mean of AC@1…AC@5. A case whose
/// ranking misses the root cause entirely counts as a miss at every k.
/// </summary>
internal sealed record RcaScores(int Cases, double AcAt1, double AcAt3, double AvgAt5)
{
    /// <summary>Scores from each case's position of the root cause (0 = first; -1 = not ranked).</summary>
    public static RcaScores Of(IReadOnlyCollection<int> positions)
    {
        double At(int k) => positions.Count == 0 ? 0 : positions.Count(p => p >= 0 && p < k) / (double)positions.Count;
        return new RcaScores(positions.Count, At(1), At(3), Enumerable.Range(1, 5).Average(At));
    }
}
