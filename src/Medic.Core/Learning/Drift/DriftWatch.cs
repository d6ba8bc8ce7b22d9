namespace Medic.Core.Learning.Drift;

/// <summary>
/// Watches one model's scores for drift, hour by hour of the day: the scores of each hour of its
/// first day form the reference for that hour; each later hour, once over, is compared with the
/// same hour of the reference day, because what is normal at 3 AM is not what is normal at the
/// peak. The population stability index and the Kolmogorov-Smirnov test must both say the scores
/// moved. O(1) a point; no allocation after construction.
/// </summary>
public sealed class DriftWatch
{
    private const int HoursADay = 24;

    private readonly DriftOptions _options;
    private readonly double _low;
    private readonly double _width;
    private readonly long[][] _reference;
    private readonly bool[] _referenceDone;
    private readonly long[] _hour;
    private long _hourStart = long.MinValue;
    private int _hourOfDay;
    private bool _hourIsReference;

    /// <summary>A watch over scores binned evenly between <paramref name="low"/> and <paramref name="high"/>, with a bin each for below and above.</summary>
    public DriftWatch(DriftOptions options, double low, double high, int bins = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(high, low);
        _options = options;
        _low = low;
        _width = (high - low) / bins;
        _reference = [.. Enumerable.Range(0, HoursADay).Select(_ => new long[bins + 2])];
        _referenceDone = new bool[HoursADay];
        _hour = new long[bins + 2];
    }

    /// <summary>Takes one score, of a point at <paramref name="at"/>; when it is the first of a new hour, returns the judgement of the hour before (if it was judged).</summary>
    public DriftReading? Observe(double score, DateTimeOffset at)
    {
        var hourStart = at.UtcTicks / TimeSpan.TicksPerHour;
        DriftReading? reading = null;
        if (hourStart != _hourStart)
        {
            reading = CloseHour();
            _hourStart = hourStart;
            _hourOfDay = at.UtcDateTime.Hour;
            _hourIsReference = !_referenceDone[_hourOfDay];
        }

        var bin = double.IsNaN(score) || score < _low ? 0 : Math.Min(_hour.Length - 1, 1 + (int)((score - _low) / _width));
        (_hourIsReference ? _reference[_hourOfDay] : _hour)[bin]++;
        return reading;
    }

    /// <summary>Starts afresh: a new model version builds its own reference day.</summary>
    public void Reset()
    {
        foreach (var hour in _reference)
        {
            Array.Clear(hour);
        }

        Array.Clear(_referenceDone);
        Array.Clear(_hour);
        _hourStart = long.MinValue;
    }

    private DriftReading? CloseHour()
    {
        if (_hourStart == long.MinValue)
        {
            return null;
        }

        if (_hourIsReference)
        {
            // An hour seen too thinly (a gap, a late start) is learnt again the next day.
            _referenceDone[_hourOfDay] = _reference[_hourOfDay].Sum() >= _options.MinPointsAnHour;
            return null;
        }

        DriftReading? reading = null;
        if (_hour.Sum() >= _options.MinPointsAnHour)
        {
            var psi = DistributionShift.PopulationStabilityIndex(_reference[_hourOfDay], _hour);
            var (d, p) = DistributionShift.KolmogorovSmirnov(_reference[_hourOfDay], _hour);
            reading = new DriftReading(psi, d, p, psi >= _options.Psi && p < _options.PValue);
        }

        Array.Clear(_hour);
        return reading;
    }
}

/// <summary>One judgement of an hour of a model's scores against the same hour of its reference day.</summary>
/// <param name="Psi">Population stability index.</param>
/// <param name="KsStatistic">Kolmogorov-Smirnov D.</param>
/// <param name="KsPValue">Its p-value.</param>
/// <param name="Drifted">Whether both say the scores moved.</param>
public readonly record struct DriftReading(double Psi, double KsStatistic, double KsPValue, bool Drifted);
