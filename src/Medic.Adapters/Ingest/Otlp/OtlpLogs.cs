using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Logs;
using LogRecord = Medic.Core.Logs.LogRecord;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// OTLP log records as Medic log records: the service from the resource's <c>service.name</c>, the
/// message from the body (text as is, structured bodies as <c>key=value</c> text), the level from
/// the severity text or number, the trace id as the session, the namespace from the resource.
/// </summary>
public static class OtlpLogs
{
    private static readonly string[] SeverityNames = ["UNSPECIFIED", "TRACE", "TRACE", "TRACE", "TRACE", "DEBUG", "DEBUG", "DEBUG", "DEBUG", "INFO", "INFO", "INFO", "INFO", "WARN", "WARN", "WARN", "WARN", "ERROR", "ERROR", "ERROR", "ERROR", "FATAL", "FATAL", "FATAL", "FATAL"];

    /// <summary>The records of an export; a record without a body counts as refused.</summary>
    public static (List<LogRecord> Records, long Rejected) Convert(IEnumerable<ResourceLogs> resources, DateTimeOffset now)
    {
        var records = new List<LogRecord>();
        long rejected = 0;
        foreach (var resource in resources)
        {
            var service = OtlpLabels.Service(resource.Resource?.Attributes);
            var ns = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "k8s.namespace.name") is { } n ? OtlpLabels.Text(n.Value) : null;
            foreach (var record in resource.ScopeLogs.SelectMany(s => s.LogRecords))
            {
                var message = record.Body?.ValueCase == AnyValue.ValueOneofCase.StringValue ? record.Body.StringValue : OtlpLabels.Text(record.Body);
                if (string.IsNullOrEmpty(message))
                {
                    rejected++;
                    continue;
                }

                var nanos = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                records.Add(new LogRecord(nanos == 0 ? now : DateTimeOffset.FromUnixTimeMilliseconds((long)(nanos / 1_000_000)), service, message)
                {
                    Level = record.SeverityText is { Length: > 0 } text ? text : record.SeverityNumber is > 0 and < 25 ? SeverityNames[record.SeverityNumber] : null,
                    Session = record.TraceId.IsEmpty ? null : System.Convert.ToHexStringLower(record.TraceId.Span),
                    Namespace = ns,
                });
            }
        }

        return (records, rejected);
    }
}
