using Medic.Core.Signals;

namespace Medic.Core.Incidents;

/// <summary>What a group of signals touches: services, nodes, the shared label pairs, and its grouping key.</summary>
public sealed class Footprint
{
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeSymptoms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

    /// <summary>An empty footprint in a grouping partition.</summary>
    public Footprint(string groupKey) => GroupKey = groupKey;

    /// <summary>The values of the grouping labels; signals of different keys never share an incident.</summary>
    public string GroupKey { get; }

    /// <summary>Services with signals.</summary>
    public IReadOnlyCollection<string> Services => _services;

    /// <summary>Nodes with signals of their own.</summary>
    public IReadOnlyCollection<string> Nodes => _nodes;

    /// <summary>The kinds of signal its nodes raised.</summary>
    public IReadOnlyCollection<string> NodeSymptoms => _nodeSymptoms;

    /// <summary>The <c>label=value</c> pairs that relate signals.</summary>
    public IReadOnlyCollection<string> SharedLabels => _labels;

    /// <summary>The footprint of an incident.</summary>
    public static Footprint Of(Incident incident)
    {
        var footprint = new Footprint(incident.GroupKey);
        footprint._services.UnionWith(incident.Services);
        footprint._nodes.UnionWith(incident.Nodes);
        footprint._nodeSymptoms.UnionWith(incident.NodeSymptoms);
        footprint._labels.UnionWith(incident.SharedLabels);
        return footprint;
    }

    /// <summary>Adds a signal and its shared label pairs.</summary>
    public void Add(Signal signal, IEnumerable<string> sharedLabels)
    {
        if (signal.Entity.Service is { } service)
        {
            _services.Add(service);
        }

        if (signal.Entity.Kind == EntityKinds.Node)
        {
            _nodes.Add(signal.Entity.Name);
            _nodeSymptoms.Add(signal.Type);
        }

        _labels.UnionWith(sharedLabels);
    }

    /// <summary>Adds everything of another footprint.</summary>
    public void Add(Footprint other)
    {
        _services.UnionWith(other._services);
        _nodes.UnionWith(other._nodes);
        _nodeSymptoms.UnionWith(other._nodeSymptoms);
        _labels.UnionWith(other._labels);
    }

    /// <summary>Whether it holds the shared label pair.</summary>
    public bool HasLabel(string pair) => _labels.Contains(pair);
}
