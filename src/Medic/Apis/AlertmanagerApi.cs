using System.Text.Json;
using System.Text.Json.Serialization;
using Medic.Core.Alerts;

namespace Medic.Apis;

/// <summary>
/// <c>POST /api/v1/alerts/alertmanager</c>: Alertmanager's webhook (payload version 4). Firing
/// alerts become signals that take part in correlation; resolved ones are recorded. <c>GET
/// /api/v1/alerts</c> lists the alerts firing now.
/// </summary>
internal static class AlertmanagerApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAlertmanagerApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/alerts/alertmanager", ReceiveAsync);
        app.MapGet("/api/v1/alerts", (ExternalAlerts alerts) => TypedResults.Ok(new { alerts = alerts.Firing }));
        return app;
    }

    /// <summary>Largest webhook body: a group of a few thousand alerts.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    private static async Task<IResult> ReceiveAsync(HttpRequest request, ExternalAlerts alerts, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        Webhook? webhook;
        try
        {
            webhook = await JsonSerializer.DeserializeAsync<Webhook>(request.Body, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"not an Alertmanager webhook body: {e.Message}");
        }

        if (webhook?.Alerts is not { } received || webhook.Version != "4")
        {
            return Problems.BadRequest($"expected an Alertmanager webhook of version 4 with an alerts list; got version '{webhook?.Version}'");
        }

        foreach (var (alert, index) in received.Select((a, i) => (a, i)))
        {
            if (alert.Labels?.GetValueOrDefault("alertname") is not { Length: > 0 } name || alert.Fingerprint is not { Length: > 0 } fingerprint)
            {
                return Problems.BadRequest($"alerts[{index}]: an alert needs labels.alertname and a fingerprint");
            }

            var external = new ExternalAlert(fingerprint, name, alert.Labels, alert.Annotations ?? [], alert.StartsAt);
            if (alert.Status == "resolved")
            {
                await alerts.ResolveAsync(external, alert.EndsAt, cancellationToken);
            }
            else
            {
                await alerts.FireAsync(external, cancellationToken);
            }
        }

        return TypedResults.Ok(new { received = received.Count });
    }

#pragma warning disable CA1812 // Created by the JSON deserializer.
    private sealed record Webhook(string? Version, string? Status, List<Alert>? Alerts);

    private sealed record Alert(
        string? Status,
        Dictionary<string, string>? Labels,
        Dictionary<string, string>? Annotations,
        DateTimeOffset StartsAt,
        DateTimeOffset EndsAt,
        [property: JsonPropertyName("fingerprint")] string? Fingerprint);
#pragma warning restore CA1812
}
