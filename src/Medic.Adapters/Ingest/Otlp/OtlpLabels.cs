using System.Globalization;
using System.Text;
using Google.Protobuf.Collections;
using Medic.Adapters.Ingest.Otlp.Proto.Common;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// OTLP attributes as Medic labels. Resource attributes that say where telemetry comes from become
/// Medic's labels (<c>service.name</c> → <c>service</c>, <c>k8s.pod.name</c> → <c>pod</c>, ...; the
/// table is <see cref="ResourceLabels"/>); other resource attributes are left out, so per-process
/// ids do not multiply series. Data point attributes are kept, dots turned into underscores.
/// </summary>
internal static class OtlpLabels
{
    /// <summary>Resource attribute → label.</summary>
    public static readonly IReadOnlyDictionary<string, string> ResourceLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["service.name"] = Core.Telemetry.Labels.Service,
        ["service.namespace"] = "service_namespace",
        ["service.version"] = "version",
        ["deployment.environment"] = "environment",
        ["deployment.environment.name"] = "environment",
        ["k8s.pod.name"] = Core.Telemetry.Labels.Pod,
        ["k8s.namespace.name"] = Core.Telemetry.Labels.Namespace,
        ["k8s.node.name"] = Core.Telemetry.Labels.Node,
        ["k8s.deployment.name"] = "deployment",
        ["k8s.statefulset.name"] = "statefulset",
        ["k8s.container.name"] = "container",
        ["host.name"] = "host",
        ["cloud.region"] = "region",
        ["cloud.availability_zone"] = Core.Telemetry.Labels.Zone,
    };

    /// <summary>A name made of letters, digits, underscores and colons, as Prometheus names are.</summary>
    public static string Name(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        return result.Length > 0 && char.IsAsciiDigit(result[0]) ? "_" + result : result.ToString();
    }

    /// <summary>An attribute value as text.</summary>
    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToHexStringLower(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(",", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(",", value.KvlistValue.Values.Select(kv => $"{kv.Key}={Text(kv.Value)}")) + "}",
        _ => "",
    };

    /// <summary>The resource's service name, or <c>unknown_service</c> as the SDKs say when none was set.</summary>
    public static string Service(RepeatedField<KeyValue>? attributes) =>
        attributes?.FirstOrDefault(a => a.Key == "service.name") is { } name ? Text(name.Value) : "unknown_service";
}
