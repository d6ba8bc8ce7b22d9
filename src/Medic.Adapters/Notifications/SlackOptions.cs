namespace Medic.Adapters.Notifications;

/// <summary>Slack (<c>notifiers.slack</c> in medic.yaml): an incoming webhook, or a bot token and channel for the Web API.</summary>
public sealed class SlackOptions
{
    /// <summary>An incoming webhook URL; messages go to its channel. Approval buttons need the Web API instead (a webhook cannot be answered).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>A bot token (xoxb-...) for the Web API.</summary>
    public string? Token { get; set; }

    /// <summary>The channel the Web API posts to, e.g. <c>#oncall</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>The Web API's base URL. Default <c>https://slack.com/api</c>.</summary>
    public string ApiUrl { get; set; } = "https://slack.com/api";

    /// <summary>The app's signing secret, to verify button callbacks. Without it, callbacks are refused.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The Slack workspace (team id, <c>T...</c>) whose people may answer; callbacks from any other are refused. Default: not checked.</summary>
    public string? TeamId { get; set; }

    /// <summary>
    /// Slack user ids (<c>U...</c>) to the names Medic knows approvers by. When set, only these
    /// people can answer, under these names. When empty, the Slack username is used, which its
    /// owner can change: set this in production.
    /// </summary>
    public IReadOnlyDictionary<string, string> Users { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How old a callback's timestamp may be. Default 5 minutes, as Slack advises.</summary>
    public TimeSpan MaxCallbackAge { get; set; } = TimeSpan.FromMinutes(5);
}
