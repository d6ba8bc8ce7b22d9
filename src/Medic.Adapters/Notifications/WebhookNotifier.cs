using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Core.Notifications;

namespace Medic.Adapters.Notifications;

/// <summary>
/// A generic webhook channel: <c>{"incident_id","kind","text","at"}</c> as JSON, signed with
/// <c>X-Medic-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c> and <c>X-Medic-Timestamp</c>.
/// </summary>
public sealed class WebhookNotifier(WebhookNotifierOptions options, HttpClient http, TimeProvider clock) : INotifier
{
    /// <inheritdoc />
    public string Channel => options.Name;

    /// <inheritdoc />
    public async Task<string?> SendAsync(NotificationRequested notification, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var body = new JsonObject
        {
            ["incident_id"] = notification.IncidentId,
            ["kind"] = notification.Kind,
            ["text"] = notification.Text,
            ["at"] = now.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (options.Secret is { } secret)
        {
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add("X-Medic-Timestamp", timestamp);
            request.Headers.Add("X-Medic-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))));
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"{options.Url} answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"cannot reach {options.Url}: {e.Message}";
        }
    }
}
