using Medic.Core.Events;
using Medic.Core.Traces;

namespace Medic.Core.Topology;

/// <summary>
/// The service graph, from spans, kept up to date: a client (or producer) span of one service
/// paired with the server (or consumer) span it caused in another is a call edge; a client span
/// to a database (<c>db.system</c>), or one whose peer never answers with a span of its own
/// (<c>peer.service</c>, <c>server.address</c>, a messaging destination), is an edge to that
/// peer. Each edge keeps its request rate, error rate and latency percentiles over the last
/// minutes. The deployment is read from the spans' resources: pod → node → zone, pod → ReplicaSet
/// → Deployment, completed by the Kubernetes watch's events. What has not been seen for <see cref="ServiceGraphOptions.EdgeTtl"/> of span
/// time ages out. Thread-safe.
/// </summary>
public sealed class ServiceGraph(ServiceGraphOptions options) : ITopology
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SpanRecord> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpanRecord> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), EdgeStats> _edges = [];
    private readonly Dictionary<string, (string Kind, DateTimeOffset Seen)> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodPlacement> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodPlacement> _watched = new(StringComparer.Ordinal);
    private DateTimeOffset _newest;
    private long _spans;
    private long _dropped;

    /// <summary>A graph with the default options.</summary>
    public ServiceGraph()
        : this(new ServiceGraphOptions())
    {
    }

    /// <summary>Learns from spans, in any order and across batches.</summary>
    public void Learn(IEnumerable<SpanRecord> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                _spans++;
                _newest = span.End > _newest ? span.End : _newest;
                See(span.Service, NodeKinds.Service, span.End);
                Place(span);
                switch (span.Kind)
                {
                    case "client" or "producer" when span.Attributes.ContainsKey("db.system"):
                        Peer(span, NodeKinds.Database); // Databases answer without spans of their own.
                        break;
                    case "client" or "producer" when _servers.Remove(span.SpanId, out var server):
                        Pair(span, server);
                        break;
                    case "client" or "producer":
                        Hold(_clients, span.SpanId, span);
                        break;
                    case "server" or "consumer" when span.ParentSpanId.Length > 0 && _clients.Remove(span.ParentSpanId, out var client):
                        Pair(client, span);
                        break;
                    case "server" or "consumer" when span.ParentSpanId.Length > 0:
                        Hold(_servers, span.ParentSpanId, span);
                        break;
                }
            }

            Expire();
        }
    }

    /// <summary>
    /// Learns where a pod runs and what owns it from a Kubernetes event about it (the watch's
    /// metadata). Shown in <see cref="Snapshot"/> beside what spans say, which wins; events are
    /// too sparse to tell that a pod has moved, so they do not answer <see cref="ServicesOnNode"/>.
    /// </summary>
    public void Learn(KubernetesEvent e)
    {
        if (e.ObjectKind != "Pod" || e.Service is null)
        {
            return;
        }

        lock (_lock)
        {
            var (kind, name) = e.Owner?.Split('/', 2) is [var k, var n] ? (k, n) : ("", "");
            if (_watched.Count < options.MaxPending || _watched.ContainsKey(e.ObjectName))
            {
                _watched[e.ObjectName] = new PodPlacement(
                    e.ObjectName, e.Service, e.Namespace, e.Node, null, kind == "ReplicaSet" ? name : null, kind == "Deployment" ? name : null, kind == "StatefulSet" ? name : null, e.At);
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Callees(string service) => Live(e => e.From == service, e => e.To);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Callers(string service) => Live(e => e.To == service, e => e.From);

    /// <inheritdoc />
    public IReadOnlyCollection<string> ServicesOnNode(string node)
    {
        lock (_lock)
        {
            var cutoff = Before(options.EdgeTtl);
            return [.. _pods.Values.Where(p => p.Node == node && p.Seen >= cutoff).Select(p => p.Service).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public bool Runs(string service)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(service, out var node) && node.Kind == NodeKinds.Service && node.Seen >= Before(options.EdgeTtl);
        }
    }

    /// <summary>Everything known now: services and peers, edges with their figures, pods with their placement.</summary>
    public ServiceGraphSnapshot Snapshot()
    {
        lock (_lock)
        {
            var cutoff = Before(options.EdgeTtl);
            var edges = _edges.Where(e => e.Value.LastSeen >= cutoff)
                .OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
                .Select(e => e.Value.Figures(e.Key.From, e.Key.To, _newest, options.StatsWindow))
                .ToList();
            var nodes = _nodes.Where(n => n.Value.Seen >= cutoff).OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => new GraphNode(n.Key, n.Value.Kind)).ToList();
            var pods = _pods.Values.Where(p => p.Seen >= cutoff)
                .Concat(_watched.Values.Where(w => !_pods.ContainsKey(w.Pod)))
                .OrderBy(p => p.Pod, StringComparer.Ordinal)
                .ToList();
            return new ServiceGraphSnapshot(nodes, edges, pods, new GraphStats(_spans, _clients.Count + _servers.Count, _dropped, _newest == default ? null : _newest));
        }
    }

    private void Pair(SpanRecord client, SpanRecord server)
    {
        if (client.Service == server.Service)
        {
            return; // A call within a service is not an edge of the graph.
        }

        var messaging = client.Kind == "producer" || server.Kind == "consumer";

        // The caller's view of a call (network and queueing included); for a message, the consumer's work.
        Record(client.Service, server.Service, messaging ? EdgeKinds.Messaging : EdgeKinds.Call, messaging ? server.Duration : client.Duration, client.Error || server.Error, server.End);
    }

    /// <summary>An edge to a peer known only from the client's side.</summary>
    private void Peer(SpanRecord client, string kind)
    {
        var a = client.Attributes;
        var peer = a.GetValueOrDefault("peer.service") ?? a.GetValueOrDefault("db.name") ?? a.GetValueOrDefault("messaging.destination.name")
            ?? a.GetValueOrDefault("server.address") ?? a.GetValueOrDefault("net.peer.name") ?? a.GetValueOrDefault("db.system") ?? a.GetValueOrDefault("messaging.system");
        if (peer is null || peer == client.Service)
        {
            return;
        }

        See(peer, kind, client.End);
        Record(client.Service, peer, kind == NodeKinds.Queue ? EdgeKinds.Messaging : kind == NodeKinds.Database ? EdgeKinds.Database : EdgeKinds.Call, client.Duration, client.Error, client.End);
    }

    private void Record(string from, string to, string kind, TimeSpan duration, bool error, DateTimeOffset at)
    {
        if (!_edges.TryGetValue((from, to), out var edge))
        {
            _edges[(from, to)] = edge = new EdgeStats(kind);
        }

        edge.Add(at, duration, error, options.StatsWindow);
    }

    private void Hold(Dictionary<string, SpanRecord> pending, string key, SpanRecord span)
    {
        if (pending.Count >= options.MaxPending)
        {
            _dropped++;
            return;
        }

        pending[key] = span;
    }

    /// <summary>
    /// Unpaired spans wait <see cref="ServiceGraphOptions.PairWait"/> of span time for their other
    /// half; then a client span that names its peer is an edge to that peer, and the rest is let go.
    /// </summary>
    private void Expire()
    {
        var cutoff = Before(options.PairWait);
        foreach (var (id, client) in _clients.Where(c => c.Value.End < cutoff).ToList())
        {
            _clients.Remove(id);
            Peer(client, client.Kind == "producer" || client.Attributes.ContainsKey("messaging.system") ? NodeKinds.Queue : NodeKinds.External);
        }

        foreach (var (id, _) in _servers.Where(s => s.Value.End < cutoff).ToList())
        {
            _servers.Remove(id);
        }

        var forget = Before(options.EdgeTtl * 2);
        foreach (var key in _edges.Where(e => e.Value.LastSeen < forget).Select(e => e.Key).ToList())
        {
            _edges.Remove(key);
        }

        foreach (var pod in _pods.Where(p => p.Value.Seen < forget).Select(p => p.Key).ToList())
        {
            _pods.Remove(pod);
        }

        foreach (var pod in _watched.Where(p => p.Value.Seen < forget).Select(p => p.Key).ToList())
        {
            _watched.Remove(pod);
        }
    }

    /// <summary>The span time <paramref name="span"/> before the newest span (none before the first).</summary>
    private DateTimeOffset Before(TimeSpan span) => _newest == default ? DateTimeOffset.MinValue : _newest - span;

    private void See(string name, string kind, DateTimeOffset at)
    {
        var known = _nodes.GetValueOrDefault(name);
        _nodes[name] = (known.Kind == NodeKinds.Service ? known.Kind : kind, at > known.Seen ? at : known.Seen);
    }

    private void Place(SpanRecord span)
    {
        var r = span.Resource;
        if (r.GetValueOrDefault("pod") is not { } pod)
        {
            return;
        }

        var deployment = r.GetValueOrDefault("deployment");
        var replicaSet = r.GetValueOrDefault("replicaset");

        // A ReplicaSet is named after its Deployment and a hash of its template: without the deployment's own name, read it from there.
        if (deployment is null && replicaSet is not null && replicaSet.LastIndexOf('-') is > 0 and var dash)
        {
            deployment = replicaSet[..dash];
        }

        _pods[pod] = new PodPlacement(pod, span.Service, r.GetValueOrDefault("namespace"), r.GetValueOrDefault("node"), r.GetValueOrDefault("zone"), replicaSet, deployment, r.GetValueOrDefault("statefulset"), span.End);
    }

    private List<string> Live(Func<(string From, string To), bool> match, Func<(string From, string To), string> project)
    {
        lock (_lock)
        {
            var cutoff = Before(options.EdgeTtl);
            return [.. _edges.Where(e => e.Value.LastSeen >= cutoff && match(e.Key)).Select(e => project(e.Key)).Distinct().Order(StringComparer.Ordinal)];
        }
    }
}
