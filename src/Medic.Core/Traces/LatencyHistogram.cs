namespace Medic.Core.Traces;

/// <summary>
/// Durations counted in buckets that grow by √2 from 0.1 ms (so about ±20% at any scale) up to
/// about 30 minutes: a fixed 64 counters whatever the traffic, merged by adding, read as quantiles.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Buckets = 64;
    private const double Smallest = 1e-4;
    private static readonly double LogGrowth = Math.Log(Math.Sqrt(2));

    private readonly long[] _counts = new long[Buckets];

    /// <summary>Durations counted.</summary>
    public long Count { get; private set; }

    /// <summary>Counts one duration.</summary>
    public void Add(TimeSpan duration)
    {
        _counts[Bucket(duration.TotalSeconds)]++;
        Count++;
    }

    /// <summary>Adds another histogram's counts.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The <paramref name="q"/> quantile in seconds (the upper edge of its bucket), or null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperEdge(i);
            }
        }

        return UpperEdge(Buckets - 1);
    }

    private static int Bucket(double seconds) =>
        seconds <= Smallest ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(seconds / Smallest) / LogGrowth));

    private static double UpperEdge(int bucket) => Smallest * Math.Exp(bucket * LogGrowth);
}
