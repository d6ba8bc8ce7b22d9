using Medic.Adapters.Ingest.Otlp.Proto.Trace;
using Medic.Core.Traces;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// OTLP spans as Medic spans: ids as hex, the service from the resource, the kind and error status,
/// the attributes that say whom a span calls (peer service, server address, route, status code,
/// database system), and where it ran (pod, node, zone, ReplicaSet, Deployment). A span without a
/// trace id, span id or times counts as refused.
/// </summary>
public static class OtlpTraces
{
    /// <summary>The attributes kept on a span.</summary>
    public static readonly IReadOnlySet<string> KeptAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "peer.service", "server.address", "server.port", "net.peer.name", "http.route", "http.request.method", "http.method",
        "http.response.status_code", "http.status_code", "rpc.service", "rpc.method", "db.system", "db.name", "messaging.system", "messaging.destination.name",
    };

    /// <summary>Resource attributes that place a span in the deployment, and the names they are kept under.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlacementAttributes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["k8s.pod.name"] = "pod",
        ["k8s.node.name"] = "node",
        ["k8s.namespace.name"] = "namespace",
        ["k8s.replicaset.name"] = "replicaset",
        ["k8s.deployment.name"] = "deployment",
        ["k8s.statefulset.name"] = "statefulset",
        ["cloud.availability_zone"] = "zone",
        ["service.version"] = "version",
    };

    /// <summary>The spans of an export.</summary>
    public static (List<SpanRecord> Spans, long Rejected) Convert(IEnumerable<ResourceSpans> resources)
    {
        var spans = new List<SpanRecord>();
        long rejected = 0;
        foreach (var resource in resources)
        {
            var service = OtlpLabels.Service(resource.Resource?.Attributes);
            var placement = (resource.Resource?.Attributes ?? [])
                .Where(a => PlacementAttributes.ContainsKey(a.Key))
                .GroupBy(a => PlacementAttributes[a.Key])
                .ToDictionary(g => g.Key, g => OtlpLabels.Text(g.First().Value), StringComparer.Ordinal);
            foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
            {
                if (span.TraceId.Length != 16 || span.SpanId.Length != 8 || span.StartTimeUnixNano == 0 || span.EndTimeUnixNano < span.StartTimeUnixNano)
                {
                    rejected++;
                    continue;
                }

                spans.Add(new SpanRecord(
                    System.Convert.ToHexStringLower(span.TraceId.Span),
                    System.Convert.ToHexStringLower(span.SpanId.Span),
                    span.ParentSpanId.IsEmpty ? "" : System.Convert.ToHexStringLower(span.ParentSpanId.Span),
                    service,
                    span.Name,
                    span.Kind switch
                    {
                        Span.Types.SpanKind.Server => "server",
                        Span.Types.SpanKind.Client => "client",
                        Span.Types.SpanKind.Producer => "producer",
                        Span.Types.SpanKind.Consumer => "consumer",
                        Span.Types.SpanKind.Internal => "internal",
                        _ => "unspecified",
                    },
                    Time(span.StartTimeUnixNano),
                    Time(span.EndTimeUnixNano),
                    span.Status?.Code == Status.Types.StatusCode.Error)
                {
                    Attributes = span.Attributes.Where(a => KeptAttributes.Contains(a.Key)).ToDictionary(a => a.Key, a => OtlpLabels.Text(a.Value), StringComparer.Ordinal),
                    Resource = placement,
                });
            }
        }

        return (spans, rejected);
    }

    private static DateTimeOffset Time(ulong nanos) => DateTimeOffset.FromUnixTimeMilliseconds((long)(nanos / 1_000_000)).AddTicks((long)(nanos % 1_000_000 / 100));
}
