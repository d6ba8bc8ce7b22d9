using Google.Protobuf;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Trace;
using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Trace;
using Medic.Core.Traces;

namespace Medic.SimWire;

/// <summary>Spans as an OTLP <c>ExportTraceServiceRequest</c>, one resource per pod, as each pod's SDK would send them.</summary>
internal static class OtlpSpans
{
    /// <summary>Medic's names of the resource attributes, back to OpenTelemetry's.</summary>
    private static readonly Dictionary<string, string> ResourceNames = new(StringComparer.Ordinal)
    {
        ["pod"] = "k8s.pod.name",
        ["node"] = "k8s.node.name",
        ["namespace"] = "k8s.namespace.name",
        ["replicaset"] = "k8s.replicaset.name",
        ["deployment"] = "k8s.deployment.name",
        ["statefulset"] = "k8s.statefulset.name",
        ["zone"] = "cloud.availability_zone",
        ["version"] = "service.version",
    };

    public static ExportTraceServiceRequest Request(IEnumerable<SpanRecord> spans)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var group in spans.GroupBy(s => (s.Service, Pod: s.Resource.GetValueOrDefault("pod"))))
        {
            var resource = new Adapters.Ingest.Otlp.Proto.Resource.Resource();
            resource.Attributes.Add(Attribute("service.name", group.Key.Service));
            foreach (var (name, value) in group.First().Resource)
            {
                if (ResourceNames.TryGetValue(name, out var otel))
                {
                    resource.Attributes.Add(Attribute(otel, value));
                }
            }

            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "medic.sim" } };
            scope.Spans.AddRange(group.Select(Span));
            request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scope } });
        }

        return request;
    }

    private static Span Span(SpanRecord s)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(s.TraceId)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(s.SpanId)),
            ParentSpanId = s.ParentSpanId.Length == 0 ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(s.ParentSpanId)),
            Name = s.Name,
            Kind = s.Kind switch
            {
                "server" => Adapters.Ingest.Otlp.Proto.Trace.Span.Types.SpanKind.Server,
                "client" => Adapters.Ingest.Otlp.Proto.Trace.Span.Types.SpanKind.Client,
                "producer" => Adapters.Ingest.Otlp.Proto.Trace.Span.Types.SpanKind.Producer,
                "consumer" => Adapters.Ingest.Otlp.Proto.Trace.Span.Types.SpanKind.Consumer,
                _ => Adapters.Ingest.Otlp.Proto.Trace.Span.Types.SpanKind.Internal,
            },
            StartTimeUnixNano = Nanos(s.Start),
            EndTimeUnixNano = Nanos(s.End),
            Status = new Status { Code = s.Error ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Ok },
        };
        span.Attributes.AddRange(s.Attributes.Select(a => Attribute(a.Key, a.Value)));
        return span;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static ulong Nanos(DateTimeOffset at) => (ulong)(at - DateTimeOffset.UnixEpoch).Ticks * 100;
}
