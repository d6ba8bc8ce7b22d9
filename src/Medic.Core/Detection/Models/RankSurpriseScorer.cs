namespace Medic.Core.Detection.Models;

/// <summary>
/// Scores each value by how rare its deviations are in the series' own history, which puts every
/// series on one scale of rarity whatever its units, noise or shape. Four deviations are watched:
/// the step from the previous value, the recent mean's distance from the baseline median (at two
/// scales: the last few values and four times as many, for a slow drift the short mean's noise
/// hides; the rarer counts, with a Bonferroni correction for the two looks), the recent median's
/// distance from it (a level shift, which a single spike does not fake: spikes move the mean as
/// much as a shift does, and fill its history with shifts that were not), and,
/// once a strong season has been found in the warm-up (<see cref="PeriodFinder"/>), the difference from
/// the value one season ago. Each is ranked among its own past values; past the largest few an
/// exponential tail is fitted (peaks over a threshold), so how far a value goes beyond anything
/// seen counts, not only that it does. The rarest deviation's -log10 p-value s is emitted as
/// s / (s + 1), and only when it beats every score of the last <c>quiet</c> values: an anomaly
/// that lasts is one alarm at its onset, not one per sample; scores that keep rising are one
/// alarm, raised when they stop.
/// </summary>
public sealed class RankSurpriseScorer : IAnomalyScorer
{
    private readonly RollingWindow _values;
    private readonly Rarity _steps;
    private readonly Rarity _shifts;
    private readonly Rarity _longShifts;
    private readonly Rarity _medianShifts;
    private readonly Rarity _seasonalSteps;
    private readonly RollingWindow _recentScores;
    private readonly List<double> _first = [];
    private readonly int _local;
    private readonly int _warmUp;
    private RollingWindow? _season;
    private int _period;
    private double _climb;

    /// <summary>How many times longer the second recent mean is than the first.</summary>
    private const int LongScale = 4;

    /// <summary>
    /// The autocorrelation a season needs to be watched. The value a season ago forecasts a value
    /// better than the level does (mean squared error 2σ²(1 − ρ) against σ²) only when ρ &gt; 1/2;
    /// below that the seasonal difference is noisier than the level shifts already watched and only
    /// adds a look for chance alarms (measured on NAB: docs/benchmarks.md).
    /// </summary>
    private const double SeasonCorrelation = 0.5;

    /// <param name="baseline">Values the level is the median of.</param>
    /// <param name="history">Past deviations a new one is ranked among.</param>
    /// <param name="local">Values the recent level is the mean of.</param>
    /// <param name="quiet">Values after a score during which only a higher one is emitted.</param>
    /// <param name="warmUp">Values seen before any score.</param>
    public RankSurpriseScorer(int baseline, int history, int local, int quiet, int warmUp)
    {
        _values = new RollingWindow(Math.Max(baseline, LongScale * local));
        _steps = new Rarity(history);
        _shifts = new Rarity(history);
        _longShifts = new Rarity(history);
        _medianShifts = new Rarity(history);
        _seasonalSteps = new Rarity(history);
        _recentScores = new RollingWindow(Math.Max(1, quiet));
        _local = local;
        _warmUp = warmUp;
    }

    /// <summary>The season found in the warm-up, in values; 0 when there is none (yet).</summary>
    public int Period => _period;

    /// <inheritdoc/>
    public double Observe(double value)
    {
        var score = 0.0;
        if (_values.Count > _local)
        {
            var sum = value;
            for (var i = 0; i < _local - 1; i++)
            {
                sum += _values.Recent(i);
            }

            var longSum = sum;
            var longCount = Math.Min(LongScale * _local, _values.Count + 1);
            for (var i = _local - 1; i < longCount - 1; i++)
            {
                longSum += _values.Recent(i);
            }

            var scored = _steps.Count >= _warmUp;
            var median = _values.MedianAndMad().Median;
            score = Math.Max(score, _steps.Observe(Math.Abs(value - _values.Recent(0)), scored));

            // The level shift at two scales, the recent mean of `local` values and of four times as
            // many (a slow drift the short mean's noise hides); the rarer counts, halved in
            // likelihood (Bonferroni) as two looks were taken.
            var shift = _shifts.Observe(Math.Abs((sum / _local) - median), scored);
            var longShift = _longShifts.Observe(Math.Abs((longSum / longCount) - median), scored);
            score = Math.Max(score, Math.Max(shift, longShift) - Math.Log10(2));

            // The recent median's shift, a look of its own (measured: as one look with the means,
            // corrected for three, it did worse; docs/benchmarks.md).
            var medianShift = _medianShifts.Observe(Math.Abs(RecentMedian(value) - median), scored);
            score = Math.Max(score, medianShift - Math.Log10(2));
        }

        if (_season is { } season && season.Count == season.Capacity)
        {
            var scored = _seasonalSteps.Count >= _warmUp / 2;
            score = Math.Max(score, _seasonalSteps.Observe(Math.Abs(value - season.Recent(_period - 1)), scored));
        }

        _values.Push(value);
        LearnSeason(value);
        var previous = _recentScores.Count > 0 ? _recentScores.Largest(0) : 0;
        _recentScores.Push(score);
        var emitted = score > previous ? score : 0;

        // A run of rising scores (a burst building up) is one alarm, raised with its highest score
        // when it stops rising: one value later than its first rise, one alarm instead of several.
        if (emitted > _climb)
        {
            _climb = emitted;
            return 0;
        }

        (emitted, _climb) = (_climb, 0);
        return emitted / (emitted + 1);
    }

    /// <summary>The median of <paramref name="value"/> and the <c>local</c> − 1 values before it.</summary>
    private double RecentMedian(double value)
    {
        Span<double> recent = stackalloc double[_local];
        recent[0] = value;
        for (var i = 1; i < _local; i++)
        {
            recent[i] = _values.Recent(i - 1);
        }

        recent.Sort();
        var middle = _local / 2;
        return _local % 2 == 1 ? recent[middle] : (recent[middle - 1] + recent[middle]) / 2;
    }

    /// <summary>Keeps the first values until there are enough to find the season; then the last season.</summary>
    private void LearnSeason(double value)
    {
        if (_first.Count < _warmUp)
        {
            _first.Add(value);
            if (_first.Count == _warmUp)
            {
                _period = PeriodFinder.Find(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_first), 4, _warmUp / 2, SeasonCorrelation);
                if (_period > 0)
                {
                    _season = new RollingWindow(_period);
                    foreach (var v in _first.Skip(Math.Max(0, _first.Count - _season.Capacity)))
                    {
                        _season.Push(v);
                    }
                }
            }

            return;
        }

        _season?.Push(value);
    }

    /// <summary>One kind of deviation and its past values, which say how rare a new one is.</summary>
    private sealed class Rarity(int history)
    {
        private readonly RollingWindow _past = new(history);

        public int Count => _past.Count;

        /// <summary>How rare <paramref name="deviation"/> is (when <paramref name="scored"/>; else 0), then remembers it.</summary>
        public double Observe(double deviation, bool scored)
        {
            var surprise = scored ? Surprise(deviation) : 0;
            _past.Push(deviation);
            return surprise;
        }

        /// <summary>
        /// -log10 of how likely a deviation at least this large is: the share of past deviations at
        /// least as large, and beyond the largest few (the top 2%) an exponential tail fitted to them
        /// (peaks over a threshold, as extreme value theory has it), so that how far a value goes
        /// beyond anything seen counts, not only that it does.
        /// </summary>
        private double Surprise(double deviation)
        {
            var n = _past.Count;
            var tail = Math.Max(10, n / 50);
            if (n <= tail)
            {
                return 0;
            }

            var threshold = _past.Largest(tail);
            if (deviation <= threshold)
            {
                return -Math.Log10((n - _past.CountBelow(deviation) + 1.0) / (n + 1));
            }

            var excess = 0.0;
            for (var i = 0; i < tail; i++)
            {
                excess += _past.Largest(i) - threshold;
            }

            var scale = Math.Max(excess / tail, 1e-12);
            return -Math.Log10((double)tail / n) + ((deviation - threshold) / scale / Math.Log(10));
        }
    }
}
