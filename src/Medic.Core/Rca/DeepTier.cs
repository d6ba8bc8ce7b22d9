using Medic.Core.Rca.Causal;
using Medic.Core.Rca.Shift;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Topology;

namespace Medic.Core.Rca;

/// <summary>
/// The deep tier for a live incident: every recent series of <see cref="DiagnosisOptions.DeepMetrics"/>
/// on a regular grid over the look-back before onset and the incident so far, attributed to its
/// candidate (a service, or a node), with the calls between services as background knowledge;
/// <see cref="PcRanker"/> learns the causal graph and ranks the candidates on it.
/// </summary>
public static class DeepTier
{
    /// <summary>
    /// The problem to rank, built from <paramref name="recent"/> now (the samples keep arriving;
    /// the problem is a snapshot, so the ranking can run on another thread).
    /// </summary>
    public static RcaProblem Problem(RecentSamples recent, ITopology topology, DateTimeOffset onset, DateTimeOffset now, DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        var metrics = new List<MetricWindow>();
        foreach (var (series, _) in recent.Series)
        {
            var incident = recent.Grid(series, onset, now, options.DeepStep);
            if (incident.Any(double.IsFinite))
            {
                var (kind, name) = Entity.FromSeries(series).Candidate;
                metrics.Add(new MetricWindow($"{kind}/{name}", series.ToString(), recent.Grid(series, onset - options.DeepLookback, onset, options.DeepStep), incident));
            }
        }

        var services = metrics.Select(m => m.Candidate).Where(c => c.StartsWith(EntityKinds.Service + "/", StringComparison.Ordinal))
            .Select(c => c[(EntityKinds.Service.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        var calls = services.SelectMany(caller => topology.Callees(caller).Where(services.Contains)
            .Select(callee => ($"{EntityKinds.Service}/{caller}", $"{EntityKinds.Service}/{callee}"))).ToList();
        return new RcaProblem(metrics) { Calls = calls };
    }

    /// <summary>Ranks <paramref name="problem"/> on its learned causal graph.</summary>
    public static DeepVerdict Rank(RcaProblem problem, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var ranked = PcRanker.Rank(problem);
        return new DeepVerdict(ranked, from, to, Math.Min(PcRanker.MaxVariables, problem.Metrics.Select(m => m.Candidate).Distinct(StringComparer.Ordinal).Count()));
    }
}
