using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Logs;
using LogRecord = Medic.Core.Logs.LogRecord;

namespace Medic.SimWire;

/// <summary>
/// Log lines as OTLP <c>LogsData</c> (the wire form of <c>ExportLogsServiceRequest</c>), one resource per
/// service, as each service's OpenTelemetry log exporter would send them.
/// </summary>
internal static class OtlpLogRecords
{
    /// <summary>OpenTelemetry's severity numbers for the levels the simulator writes.</summary>
    private static readonly Dictionary<string, int> Severities = new(StringComparer.Ordinal) { ["DEBUG"] = 5, ["INFO"] = 9, ["WARN"] = 13, ["ERROR"] = 17, ["FATAL"] = 21 };

    public static LogsData Request(IEnumerable<LogRecord> records)
    {
        var request = new LogsData();
        foreach (var group in records.GroupBy(r => (r.Service, r.Namespace)))
        {
            var resource = new Adapters.Ingest.Otlp.Proto.Resource.Resource();
            resource.Attributes.Add(Attribute("service.name", group.Key.Service));
            if (group.Key.Namespace is { } ns)
            {
                resource.Attributes.Add(Attribute("k8s.namespace.name", ns));
            }

            var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "medic.sim" } };
            scope.LogRecords.AddRange(group.Select(r => new Adapters.Ingest.Otlp.Proto.Logs.LogRecord
            {
                TimeUnixNano = (ulong)(r.At - DateTimeOffset.UnixEpoch).Ticks * 100,
                SeverityText = r.Level ?? "",
                SeverityNumber = r.Level is { } level ? Severities.GetValueOrDefault(level) : 0,
                Body = new AnyValue { StringValue = r.Message },
            }));
            request.ResourceLogs.Add(new ResourceLogs { Resource = resource, ScopeLogs = { scope } });
        }

        return request;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
