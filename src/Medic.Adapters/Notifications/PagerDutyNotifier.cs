using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Core.Notifications;

namespace Medic.Adapters.Notifications;

/// <summary>
/// The <c>pagerduty</c> channel: Events API v2 trigger, acknowledge and resolve events, with the
/// incident id as the dedup key so one incident is one PagerDuty alert from page to resolution.
/// Plain information is refused (it is not paged), so a step or timeline says it was not sent.
/// </summary>
public sealed class PagerDutyNotifier(PagerDutyOptions options, HttpClient http) : INotifier
{
    /// <inheritdoc />
    public string Channel => "pagerduty";

    /// <inheritdoc />
    public async Task<string?> SendAsync(NotificationRequested notification, CancellationToken cancellationToken)
    {
        var action = notification.Kind switch
        {
            NotificationKinds.Page => "trigger",
            NotificationKinds.Acknowledge => "acknowledge",
            NotificationKinds.Resolve => "resolve",
            _ => null,
        };
        if (action is null)
        {
            return $"PagerDuty takes kind page, acknowledge or resolve, not {notification.Kind}: information is not paged";
        }

        var body = new JsonObject
        {
            ["routing_key"] = options.RoutingKey,
            ["event_action"] = action,
            ["dedup_key"] = $"medic-{notification.IncidentId}",
        };
        if (action == "trigger")
        {
            body["payload"] = new JsonObject
            {
                ["summary"] = notification.Text.Length > 1024 ? notification.Text[..1024] : notification.Text,
                ["source"] = options.Source,
                ["severity"] = "critical",
                ["component"] = "medic",
                ["group"] = "incident",
                ["class"] = "escalation",
                ["custom_details"] = new JsonObject { ["incident_id"] = notification.IncidentId },
            };
        }

        try
        {
            using var response = await http.PostAsJsonAsync(options.EventsUrl, body, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            return $"PagerDuty answered {(int)response.StatusCode}: {answer}";
        }
        catch (HttpRequestException e)
        {
            return $"cannot reach PagerDuty: {e.Message}";
        }
    }
}
