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

    /// <summary>Facts older than this are gone (none before the first sample).</summary>
    private DateTimeOffset Cutoff => _newest == default ? DateTimeOffset.MinValue : _newest - MaxAge;

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

    /// <summary>The live call edges, as (caller, callee), and when each was last seen.</summary>
    public IReadOnlyList<(string From, string To, DateTimeOffset Seen)> Edges()
    {
        lock (_lock)
        {
            var cutoff = Cutoff;
            return [.. _edges.Where(e => e.Value >= cutoff).OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal).Select(e => (e.Key.From, e.Key.To, e.Value))];
        }
    }

    /// <summary>The live placements of services on nodes.</summary>
    public IReadOnlyList<(string Service, string Node)> Placements()
    {
        lock (_lock)
        {
            var cutoff = Cutoff;
            return [.. _placements.Where(p => p.Value >= cutoff).Select(p => p.Key).OrderBy(p => p.Node, StringComparer.Ordinal).ThenBy(p => p.Service, StringComparer.Ordinal)];
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

    /// <inheritdoc />
    public bool Runs(string service) => Select(_placements, p => p.Service == service, p => p.Node).Count > 0;

    private List<string> Select<TKey>(Dictionary<TKey, DateTimeOffset> facts, Func<TKey, bool> match, Func<TKey, string> project)
        where TKey : notnull
    {
        lock (_lock)
        {
            var cutoff = Cutoff;
            return facts.Where(f => f.Value >= cutoff && match(f.Key)).Select(f => project(f.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }
}
