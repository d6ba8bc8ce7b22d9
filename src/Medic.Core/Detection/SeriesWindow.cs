namespace Medic.Core.Detection;

/// <summary>
/// The rolling baseline of one series (a ring buffer) and its anomaly state machine.
/// </summary>
internal sealed class SeriesWindow(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private int _next;

    public int Count { get; private set; }

    public DateTimeOffset LastSeen { get; set; }

    public int AbnormalRun { get; set; }

    public int NormalRun { get; set; }

    public bool Firing { get; set; }

    public void Push(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        Count = Math.Min(Count + 1, _values.Length);
    }

    /// <summary>Median and median absolute deviation of the window, using <paramref name="scratch"/>.</summary>
    public (double Median, double Mad) MedianAndMad(double[] scratch)
    {
        var span = scratch.AsSpan(0, Count);
        _values.AsSpan(0, Count).CopyTo(span);
        span.Sort();
        var median = Median(span);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Math.Abs(span[i] - median);
        }

        span.Sort();
        return (median, Median(span));
    }

    private static double Median(ReadOnlySpan<double> sorted)
    {
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
