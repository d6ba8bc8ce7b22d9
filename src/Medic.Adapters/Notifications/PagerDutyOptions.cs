namespace Medic.Adapters.Notifications;

/// <summary>PagerDuty (<c>notifiers.pagerduty</c> in medic.yaml): an Events API v2 integration.</summary>
public sealed class PagerDutyOptions
{
    /// <summary>The integration's routing key.</summary>
    public required string RoutingKey { get; set; }

    /// <summary>The Events API v2 endpoint. Default <c>https://events.pagerduty.com/v2/enqueue</c>.</summary>
    public string EventsUrl { get; set; } = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The <c>source</c> of the events. Default <c>medic</c>.</summary>
    public string Source { get; set; } = "medic";
}
