namespace Medic.Core.Detection.Multivariate;

/// <summary>
/// An isolation forest over a sliding window of recent points, scoring each new point as it
/// arrives and regrown every <c>retrainEvery</c> points on the window, so that what normal looks
/// like follows the system. Points are scored against the forest grown before them.
/// </summary>
public sealed class StreamingIsolationForest(int dimensions, int window = 2_048, int retrainEvery = 512, int seed = 1)
{
    private readonly double[][] _window = new double[window][];
    private readonly Random _random = new(seed);
    private int _next;
    private int _count;
    private int _sinceTraining;

    /// <summary>The forest in use, or null until the window holds its first <c>retrainEvery</c> points.</summary>
    public IsolationForest? Forest { get; private set; }

    /// <summary>Forests grown so far.</summary>
    public int Generation { get; private set; }

    /// <summary>Scores <paramref name="point"/> (0 while there is no forest yet), then adds it to the window.</summary>
    public double Observe(ReadOnlySpan<double> point)
    {
        if (point.Length != dimensions)
        {
            throw new ArgumentException($"points have {dimensions} values, not {point.Length}", nameof(point));
        }

        var score = Forest?.Score(point) ?? 0;
        var slot = _window[_next] ??= new double[dimensions];
        point.CopyTo(slot);
        _next = (_next + 1) % _window.Length;
        _count = Math.Min(_count + 1, _window.Length);
        if (++_sinceTraining >= retrainEvery)
        {
            Forest = IsolationForest.Train(_window.AsSpan(0, _count).ToArray(), _random);
            Generation++;
            _sinceTraining = 0;
        }

        return score;
    }

    /// <summary>The latest <paramref name="count"/> points (fewer when the window holds fewer), oldest first.</summary>
    public double[][] Latest(int count)
    {
        count = Math.Min(count, _count);
        var latest = new double[count][];
        for (var i = 0; i < count; i++)
        {
            latest[i] = (double[])_window[((_next - count + i) % _window.Length + _window.Length) % _window.Length].Clone();
        }

        return latest;
    }

    /// <summary>Grows a forest on <paramref name="points"/> with this model's source of randomness.</summary>
    public IsolationForest Grow(IReadOnlyList<double[]> points) => IsolationForest.Train(points, _random);

    /// <summary>
    /// Puts <paramref name="forest"/> in use and forgets every point but <paramref name="window"/>
    /// (what it was grown on): the next regrowth learns from the new normal only.
    /// </summary>
    public void Install(IsolationForest forest, IReadOnlyList<double[]> window)
    {
        Array.Clear(_window);
        _count = Math.Min(window.Count, _window.Length);
        for (var i = 0; i < _count; i++)
        {
            _window[i] = (double[])window[window.Count - _count + i].Clone();
        }

        _next = _count % _window.Length;
        _sinceTraining = 0;
        Forest = forest;
        Generation++;
    }
}
