namespace Medic.Core.Topology;

/// <summary>What several sources of topology know together (labels of metrics, spans): the union of their answers.</summary>
public sealed class CombinedTopology(IReadOnlyList<ITopology> parts) : ITopology
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Callees(string service) => Union(p => p.Callees(service));

    /// <inheritdoc />
    public IReadOnlyCollection<string> Callers(string service) => Union(p => p.Callers(service));

    /// <inheritdoc />
    public IReadOnlyCollection<string> ServicesOnNode(string node) => Union(p => p.ServicesOnNode(node));

    /// <inheritdoc />
    public bool Runs(string service) => parts.Any(p => p.Runs(service));

    private List<string> Union(Func<ITopology, IReadOnlyCollection<string>> ask) =>
        [.. parts.SelectMany(ask).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
