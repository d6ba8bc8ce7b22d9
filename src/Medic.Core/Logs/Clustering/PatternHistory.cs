namespace Medic.Core.Logs.Clustering;

/// <summary>What a new point (a window's or a session's template counts) is, against the history.</summary>
public enum PatternVerdict
{
    /// <summary>Too little history to judge yet.</summary>
    Learning,

    /// <summary>Near a recurring pattern.</summary>
    Known,

    /// <summary>Near nothing that recurs: a DBSCAN noise point.</summary>
    Noise,

    /// <summary>Dense only with recent points: a pattern that has just begun to recur.</summary>
    NewCluster,
}

/// <summary>
/// Recent template-count vectors and their DBSCAN structure (cosine distance), to judge each new
/// vector as it arrives: noise when it has fewer than minPoints neighbours within eps and none of
/// them is a core point, a new cluster when its neighbours are all recent. eps is the configured
/// one, or the k-distance suggestion, recomputed with the core points every so often.
/// </summary>
public sealed class PatternHistory(PatternHistoryOptions options)
{
    private readonly List<SparseVector> _points = [];
    private readonly List<bool> _core = [];
    private double _eps = options.Eps ?? 0;
    private int _sinceRecluster;
    private bool _clustered;

    /// <summary>The eps in use.</summary>
    public double Eps => _eps;

    /// <summary>How many points are kept.</summary>
    public int Count => _points.Count;

    /// <summary>Judges <paramref name="point"/>, then adds it to the history.</summary>
    public PatternVerdict Observe(SparseVector point)
    {
        if (_points.Count >= options.MinHistory && (!_clustered || _sinceRecluster >= options.ReclusterEvery))
        {
            Recluster();
        }

        var verdict = _points.Count < options.MinHistory ? PatternVerdict.Learning : Judge(point);
        _points.Add(point);
        _core.Add(false);
        if (_points.Count > options.Capacity)
        {
            _points.RemoveAt(0);
            _core.RemoveAt(0);
        }

        _sinceRecluster++;
        return verdict;
    }

    private PatternVerdict Judge(SparseVector point)
    {
        var neighbours = 0;
        var nearCore = false;
        var nearOld = false;
        var recentFrom = Math.Max(0, _points.Count - options.Recent);
        for (var i = 0; i < _points.Count; i++)
        {
            if (SparseVector.CosineDistance(point, _points[i]) <= _eps)
            {
                neighbours++;
                nearCore |= _core[i];
                nearOld |= i < recentFrom;
            }
        }

        return neighbours + 1 < options.MinPoints && !nearCore ? PatternVerdict.Noise
            : !nearOld && neighbours + 1 >= options.MinPoints ? PatternVerdict.NewCluster
            : PatternVerdict.Known;
    }

    private void Recluster()
    {
        double Distance(int a, int b) => SparseVector.CosineDistance(_points[a], _points[b]);
        _eps = options.Eps ?? Math.Max(options.MinEps, Dbscan.SuggestEps(_points.Count, Distance, options.MinPoints - 1));
        for (var p = 0; p < _points.Count; p++)
        {
            var neighbours = 1;
            for (var q = 0; q < _points.Count && neighbours < options.MinPoints; q++)
            {
                if (q != p && Distance(p, q) <= _eps)
                {
                    neighbours++;
                }
            }

            _core[p] = neighbours >= options.MinPoints;
        }

        _sinceRecluster = 0;
        _clustered = true;
    }
}

/// <summary>Settings of <see cref="PatternHistory"/>.</summary>
public sealed record PatternHistoryOptions
{
    /// <summary>The neighbourhood radius in cosine distance; null: the k-distance suggestion. Default null.</summary>
    public double? Eps { get; init; }

    /// <summary>The smallest eps the suggestion may give, so identical windows do not make everything else noise. Default 0.05.</summary>
    public double MinEps { get; init; } = 0.05;

    /// <summary>Points (the point itself included) within eps that make a core point. Default 4.</summary>
    public int MinPoints { get; init; } = 4;

    /// <summary>Points kept; older ones are forgotten. Default 720 (12 hours of one-minute windows).</summary>
    public int Capacity { get; init; } = 720;

    /// <summary>Points needed before any verdict. Default 30.</summary>
    public int MinHistory { get; init; } = 30;

    /// <summary>The newest points that count as recent for a new cluster. Default 10.</summary>
    public int Recent { get; init; } = 10;

    /// <summary>Points added between two recomputations of eps and the core points. Default 60.</summary>
    public int ReclusterEvery { get; init; } = 60;
}
