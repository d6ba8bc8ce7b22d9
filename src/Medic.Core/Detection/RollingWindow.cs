namespace Medic.Core.Detection;

/// <summary>
/// The last values of a series, kept twice: in arrival order (a ring buffer, to know which value
/// leaves) and sorted, so the median and quantiles are read off and the median absolute deviation
/// found by walking outwards from the median, with no sort per sample.
/// </summary>
internal class RollingWindow(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _next;

    public int Count { get; private set; }

    public int Capacity => _values.Length;

    /// <summary>The value pushed <paramref name="back"/> pushes ago (0: the newest); it must still be in the window.</summary>
    public double Recent(int back) => _values[(_next - 1 - back + (2 * _values.Length)) % _values.Length];

    /// <summary>The <paramref name="rank"/>-th largest value (0: the largest).</summary>
    public double Largest(int rank) => _sorted[Count - 1 - rank];

    /// <summary>How many values of the window are below <paramref name="value"/>.</summary>
    public int CountBelow(double value)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>The <paramref name="q"/> quantile (0..1) of the window, interpolated linearly.</summary>
    public double Quantile(double q)
    {
        var position = q * (Count - 1);
        var below = (int)position;
        return below + 1 < Count ? _sorted[below] + ((position - below) * (_sorted[below + 1] - _sorted[below])) : _sorted[below];
    }

    /// <summary>Adds a (finite) value, dropping the oldest once the window is full.</summary>
    public void Push(double value)
    {
        var sorted = _sorted.AsSpan(0, Count);
        if (Count == _values.Length)
        {
            // Remove the leaving value, then insert the new one: one shift between the two places.
            var leaving = sorted.BinarySearch(_values[_next]);
            var at = Insertion(sorted, value);
            if (at > leaving)
            {
                at--;
                sorted[(leaving + 1)..(at + 1)].CopyTo(sorted[leaving..]);
            }
            else
            {
                sorted[at..leaving].CopyTo(sorted[(at + 1)..]);
            }

            sorted[at] = value;
        }
        else
        {
            var at = Insertion(sorted, value);
            sorted[at..].CopyTo(_sorted.AsSpan(at + 1));
            _sorted[at] = value;
            Count++;
        }

        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
    }

    /// <summary>Median and median absolute deviation of the window.</summary>
    public (double Median, double Mad) MedianAndMad()
    {
        var sorted = _sorted.AsSpan(0, Count);
        var mid = Count / 2;
        var median = Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;

        // The deviations grow outwards from the median on either side: merge the two runs up to the middle one(s).
        var left = mid - 1;
        var right = mid;
        if (Count % 2 == 1)
        {
            left = mid;
            right = mid + 1;
        }

        double previous = 0, current = 0;
        for (var k = 0; k <= mid; k++)
        {
            previous = current;
            var fromLeft = left >= 0 ? median - sorted[left] : double.PositiveInfinity;
            var fromRight = right < Count ? sorted[right] - median : double.PositiveInfinity;
            if (fromLeft <= fromRight)
            {
                current = fromLeft;
                left--;
            }
            else
            {
                current = fromRight;
                right++;
            }
        }

        return (median, Count % 2 == 1 ? current : (previous + current) / 2);
    }

    /// <summary>Where <paramref name="value"/> goes in the sorted run (after equal values).</summary>
    private static int Insertion(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
