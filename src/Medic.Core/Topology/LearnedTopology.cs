using Medic.Core.Telemetry;

namespace Medic.Core.Topology;

/// <summary>
/// A topology learned from telemetry labels: <c>service</c>+<c>peer_service</c> on a series is a call
/// edge, <c>service</c>+<c>node</c> places a service on a node. Facts not seen again within
/// <see cref="MaxAge"/> of the newest sample age out (pods move, call paths change). Thread-safe.
/// </summary>
public sealed class LearnedTopology : ITopology
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string From, string To), DateTimeOffset> _edges = [];
    private readonly Dictionary<(string Service, string Node), DateTimeOffset> _placements = [];
    private DateTimeOffset _newest;

    /// <summary>How long a fact lives without being seen again. Default 10 minutes.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Learns from the labels of a batch of samples.</summary>
    public void Learn(SampleBatch batch)
    {
        lock (_lock)
        {
            foreach (var sample in batch.Samples)
            {
                var service = sample.Series[Labels.Service];
                if (service is null)
                {
                    continue;
                }

                if (sample.Timestamp > _newest)
                {
                    _newest = sample.Timestamp;
                }

                if (sample.Series[Labels.PeerService] is { } peer)
                {
                    _edges[(service, peer)] = sample.Timestamp;
                }

                if (sample.Series[Labels.Node] is { } node)
                {
                    _placements[(service, node)] = sample.Timestamp;
                }
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Callees(string service) =>
        Select(_edges, e => e.From == service, e => e.To);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Callers(string service) =>
        Select(_edges, e => e.To == service, e => e.From);

    /// <inheritdoc />
    public IReadOnlyCollection<string> ServicesOnNode(string node) =>
        Select(_placements, p => p.Node == node, p => p.Service);

    private List<string> Select<TKey>(Dictionary<TKey, DateTimeOffset> facts, Func<TKey, bool> match, Func<TKey, string> project)
        where TKey : notnull
    {
        lock (_lock)
        {
            var cutoff = _newest - MaxAge;
            return facts.Where(f => f.Value >= cutoff && match(f.Key)).Select(f => project(f.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }
}
