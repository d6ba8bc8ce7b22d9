using Medic.Core.Signals;
using Medic.Sim.Estate;
using Medic.Sim.Faults;

namespace Medic.Bench;

/// <summary>How well correlation turned a game day's signals into incidents.</summary>
/// <param name="Signals">Signals that reached incidents opened during the game day, repeats that correlation counted as duplicates included.</param>
/// <param name="Incidents">Incidents opened during the game day (faults' and false ones).</param>
/// <param name="Compression">Signals per incident.</param>
/// <param name="Purity">Mean over incidents of the share of its signals that belong to its fault (or to the background, for a false incident).</param>
/// <param name="SplitRate">Share of the faults with signals whose signals are spread over more than one incident.</param>
/// <param name="FoldedFaults">Faults whose every signal landed in an incident that belongs to another fault: missed because of correlation.</param>
internal sealed record CorrelationFigures(int Signals, int Incidents, double Compression, double Purity, double SplitRate, int FoldedFaults);

/// <summary>One fault of a game day and the span of time its symptoms may show in.</summary>
/// <param name="Fault">The fault.</param>
/// <param name="End">When its window closed (it was fixed by hand and the quiet spell passed).</param>
internal sealed record FaultWindow(InjectedFault Fault, DateTimeOffset End);

/// <summary>
/// Scores correlation against the simulator's ground truth. A signal belongs to a fault when it
/// was observed in the fault's window and is about its blast area: the root cause's service, the
/// services the fault declares affected (load pushed downstream, a noisy node's tenants), every
/// service that calls any of these, directly or not (symptoms travel upstream), and the nodes.
/// While a harmless traffic spike of the background lasts (and a little after), only signals on
/// the root cause's own service or node count as the fault's. Any other signal belongs to the
/// background.
/// </summary>
internal static class GamedayCorrelation
{
    private const int Background = -1;

    /// <summary>How long after a traffic spike its echoes still show.</summary>
    private static readonly TimeSpan SpikeEcho = TimeSpan.FromMinutes(3);

    /// <summary>Scores the incidents; with <paramref name="explain"/>, also writes each fault and each incident's signals with the fault each is attributed to (<c>c=-1</c>: the background).</summary>
    public static CorrelationFigures Score(IReadOnlyList<FaultWindow> faults, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> spikes, IReadOnlyList<(IReadOnlyList<Signal> Signals, int Duplicates)> incidents, EstateSpec estate, TextWriter? explain = null)
    {
        var classOf = Classifier(faults, spikes, estate);
        var classes = incidents.Where(i => i.Signals.Count > 0).Select(i => i.Signals.Select(classOf).ToList()).ToList();
        if (explain is not null)
        {
            Explain(explain, faults, [.. incidents.Where(i => i.Signals.Count > 0).Select(i => i.Signals)], classes);
        }

        var owners = classes.Select(c => c.GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key).ToList();
        var signals = classes.Sum(c => c.Count) + incidents.Sum(i => i.Duplicates);
        var withSignals = 0;
        var split = 0;
        var folded = 0;
        for (var f = 0; f < faults.Count; f++)
        {
            var holding = Enumerable.Range(0, classes.Count).Where(i => classes[i].Contains(f)).ToList();
            if (holding.Count == 0)
            {
                continue;
            }

            withSignals++;
            split += holding.Count > 1 ? 1 : 0;
            folded += holding.All(i => owners[i] != f && owners[i] != Background) ? 1 : 0;
        }

        return new CorrelationFigures(
            signals,
            incidents.Count,
            Round(incidents.Count == 0 ? 0 : (double)signals / incidents.Count),
            Round(classes.Count == 0 ? 1 : classes.Select((c, i) => (double)c.Count(x => x == owners[i]) / c.Count).Average()),
            Round(withSignals == 0 ? 0 : (double)split / withSignals),
            folded);
    }

    private static void Explain(TextWriter to, IReadOnlyList<FaultWindow> faults, IReadOnlyList<IReadOnlyList<Signal>> incidents, List<List<int>> classes)
    {
        foreach (var (f, i) in faults.Select((f, i) => (f, i)))
        {
            to.WriteLine(FormattableString.Invariant($"FAULT {i} {f.Fault.Kind} {f.Fault.Truth.Kind}/{f.Fault.Truth.Name} {f.Fault.InjectedAt:yyyy-MM-dd HH:mm:ss}..{f.End:HH:mm:ss}"));
        }

        foreach (var (signals, i) in incidents.Select((s, i) => (s, i)))
        {
            to.WriteLine("INCIDENT");
            foreach (var (signal, c) in signals.Zip(classes[i]))
            {
                to.WriteLine(FormattableString.Invariant($"  {signal.ObservedAt:dd HH:mm:ss} c={c} {signal.Source} {signal.Type} {signal.Entity} dir={signal.Direction} {signal.Metric}"));
            }
        }
    }

    /// <summary>Tells whether a signal belongs to no fault of <paramref name="faults"/>, but to the background.</summary>
    public static Func<Signal, bool> BackgroundTest(IReadOnlyList<FaultWindow> faults, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> spikes, EstateSpec estate)
    {
        var classOf = Classifier(faults, spikes, estate);
        return signal => classOf(signal) == Background;
    }

    /// <summary>The fault a signal belongs to (its index in <paramref name="faults"/>), or <see cref="Background"/>.</summary>
    private static Func<Signal, int> Classifier(IReadOnlyList<FaultWindow> faults, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> spikes, EstateSpec estate)
    {
        var areas = faults.Select(f => BlastArea.Of(f.Fault.Truth, estate)).ToList();
        return signal =>
        {
            // During a harmless traffic spike only the fault's own services speak for it; the rest is the spike.
            var spiking = spikes.Any(s => signal.ObservedAt >= s.Start && signal.ObservedAt < s.End + SpikeEcho);
            for (var i = 0; i < faults.Count; i++)
            {
                if (signal.ObservedAt >= faults[i].Fault.InjectedAt && signal.ObservedAt < faults[i].End && areas[i].Contains(signal.Entity, originOnly: spiking))
                {
                    return i;
                }
            }

            return Background;
        };
    }

    private static double Round(double value) => Math.Round(value, 4);

    /// <summary>The entities a fault's symptoms may show on.</summary>
    private sealed class BlastArea
    {
        private readonly HashSet<string> _services = new(StringComparer.Ordinal);
        private readonly HashSet<string> _origins = new(StringComparer.Ordinal);
        private string? _node;

        public static BlastArea Of(GroundTruth truth, EstateSpec estate)
        {
            var area = new BlastArea { _node = truth.Kind == EntityKinds.Node ? truth.Name : null };
            if (truth.Kind == EntityKinds.Service)
            {
                area._origins.Add(truth.Name);
            }

            var pending = new Queue<string>(truth.Affected.Concat(area._origins));
            while (pending.TryDequeue(out var service))
            {
                if (area._services.Add(service))
                {
                    foreach (var call in estate.Calls.Where(c => c.To == service))
                    {
                        pending.Enqueue(call.From);
                    }
                }
            }

            return area;
        }

        /// <summary>
        /// Whether the entity is in the area, or with <paramref name="originOnly"/> the root
        /// cause's own service or node. Nodes are shared: a node saturated while a fault
        /// runs (restarts, retries, a hog) belongs to it.
        /// </summary>
        public bool Contains(Entity entity, bool originOnly) => entity.Service is { } service
            ? (originOnly ? _origins : _services).Contains(service)
            : entity.Kind == EntityKinds.Node && (!originOnly || entity.Name == _node);
    }
}
