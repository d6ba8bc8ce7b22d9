using Medic.Core.Signals;
using Medic.Core.Topology;

namespace Medic.Core.Incidents;

/// <summary>How a signal stands to a group of signals.</summary>
public enum Relation
{
    /// <summary>Nothing connects them.</summary>
    None,

    /// <summary>
    /// Directly connected: the same service or node, a shared label value, a direct caller or
    /// callee, a service on one of its nodes or a node under one of its services.
    /// </summary>
    Related,

    /// <summary>
    /// A symptom of it: the signal's service calls one of the group's services through a chain of
    /// calls (latency and errors travel upstream), so it is inhibited by, and attached to, the group.
    /// </summary>
    Symptom,
}

/// <summary>The correlation rules: whether a signal belongs with a group of signals, from topology and labels.</summary>
public sealed class SignalRelations(ITopology topology, CorrelationOptions options)
{
    /// <summary>The grouping key of a signal: the values of <c>group_by</c>'s labels, in order.</summary>
    public string GroupKey(Signal signal) =>
        options.GroupBy.Count == 0 ? "" : string.Join(',', options.GroupBy.Select(l => $"{l}={signal.Label(l)}"));

    /// <summary>The signal's <c>label=value</c> pairs for the labels that relate signals (<c>match_labels</c>).</summary>
    public IEnumerable<string> SharedLabels(Signal signal) =>
        options.MatchLabels.Select(l => signal.Label(l) is { Length: > 0 } v ? $"{l}={v}" : null).OfType<string>();

    /// <summary>How the signal stands to the footprint.</summary>
    public Relation Of(Signal signal, Footprint footprint)
    {
        if (GroupKey(signal) != footprint.GroupKey)
        {
            return Relation.None;
        }

        if (SharedLabels(signal).Any(footprint.HasLabel))
        {
            return Relation.Related;
        }

        var service = signal.Entity.Service;
        var node = signal.Label("node");
        if (service is not null)
        {
            if (footprint.Services.Contains(service)
                || topology.Callers(service).Concat(topology.Callees(service)).Any(footprint.Services.Contains)
                || (node is not null && footprint.Nodes.Contains(node))
                || footprint.Nodes.Any(n => topology.ServicesOnNode(n).Contains(service)))
            {
                return Relation.Related;
            }

            return CallsInto(service, footprint.Services) ? Relation.Symptom : Relation.None;
        }

        // A node is related by its services, or by a symptom the footprint's nodes already show (one more node of a lossy network).
        return node is not null && (footprint.Nodes.Contains(node) || footprint.NodeSymptoms.Contains(signal.Type) || topology.ServicesOnNode(node).Any(footprint.Services.Contains))
            ? Relation.Related
            : Relation.None;
    }

    /// <summary>
    /// Whether two groups of new signals touch siblings: services called by the same service. Two
    /// callees of one caller going wrong within the same group wait are most likely one problem (a
    /// cache failing sends its callers to the database behind it).
    /// </summary>
    public bool Siblings(Footprint a, Footprint b) =>
        a.GroupKey == b.GroupKey
        && a.Services.SelectMany(topology.Callers).ToHashSet(StringComparer.Ordinal) is var callers
        && b.Services.Any(s => topology.Callers(s).Any(callers.Contains));

    /// <summary>Whether two signals are connected either way, or are about siblings (used to find the unrelated parts of an incident).</summary>
    public bool Connected(Signal a, Signal b) =>
        Of(a, FootprintOf(b)) != Relation.None || Of(b, FootprintOf(a)) != Relation.None || Siblings(FootprintOf(a), FootprintOf(b));

    /// <summary>The footprint of one signal.</summary>
    public Footprint FootprintOf(Signal signal)
    {
        var footprint = new Footprint(GroupKey(signal));
        footprint.Add(signal, SharedLabels(signal));
        return footprint;
    }

    /// <summary>Whether <paramref name="service"/> reaches one of <paramref name="targets"/> through at most <see cref="CorrelationOptions.SymptomDepth"/> calls.</summary>
    private bool CallsInto(string service, IReadOnlyCollection<string> targets)
    {
        if (targets.Count == 0)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { service };
        var frontier = new List<string> { service };
        for (var depth = 0; depth < options.SymptomDepth && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var callee in frontier.SelectMany(topology.Callees))
            {
                if (targets.Contains(callee))
                {
                    return true;
                }

                if (seen.Add(callee))
                {
                    next.Add(callee);
                }
            }

            frontier = next;
        }

        return false;
    }
}
