namespace Medic.Adapters.Notifications;

/// <summary>A generic webhook channel (<c>notifiers.webhooks</c> in medic.yaml).</summary>
public sealed class WebhookNotifierOptions
{
    /// <summary>The channel name playbooks use.</summary>
    public required string Name { get; set; }

    /// <summary>Where the JSON goes.</summary>
    public required string Url { get; set; }

    /// <summary>A secret to sign the body with (<c>X-Medic-Signature: sha256=...</c>); none when null.</summary>
    public string? Secret { get; set; }
}
