namespace Medic.Apis;

/// <summary>
/// The source new series count against: the tenant a sender names in <c>X-Scope-OrgID</c> (the
/// header Prometheus, the OpenTelemetry collector and Grafana Alloy set for Mimir, Cortex and Loki),
/// or else the protocol the series came by.
/// </summary>
internal static class IngestSource
{
    public const string TenantHeader = "X-Scope-OrgID";

    /// <summary>The source, or why the tenant header is not acceptable.</summary>
    public static (string Source, string? Problem) Of(string? tenant, string protocol) => tenant switch
    {
        null or "" => (protocol, null),
        { Length: <= 128 } when tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') => (tenant, null),
        _ => (protocol, $"{TenantHeader} must be 1 to 128 letters, digits, '-', '_' or '.'"),
    };
}
