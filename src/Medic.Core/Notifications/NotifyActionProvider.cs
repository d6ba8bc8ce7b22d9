using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Core.Workflows;

namespace Medic.Core.Notifications;

/// <summary>
/// The <c>notify</c> action: a message to a channel as a step of a playbook, so a fallback chain
/// can end in "page a person". The step fails when the notifier does, so the run says whether
/// the page went out.
/// </summary>
public sealed class NotifyActionProvider(IEnumerable<INotifier> notifiers) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "notify";

    private readonly Dictionary<string, INotifier> _byChannel = notifiers.ToDictionary(n => n.Channel, StringComparer.Ordinal);

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var p = request.Params;
        if (p.Keys.Except(["channel", "text", "kind"]).FirstOrDefault() is { } unknown)
        {
            return ActionResult.Fail($"params.{unknown}: unknown parameter; notify takes channel, text and kind");
        }

        if (p.GetValueOrDefault("channel") is not string channel || !_byChannel.TryGetValue(channel, out var notifier))
        {
            return ActionResult.Fail($"params.channel: '{p.GetValueOrDefault("channel")}' is not a configured channel; configured: {string.Join(", ", _byChannel.Keys.Order(StringComparer.Ordinal))}");
        }

        var kind = p.GetValueOrDefault("kind") as string ?? NotificationKinds.Info;
        if (!NotificationKinds.All.Contains(kind))
        {
            return ActionResult.Fail($"params.kind: '{kind}' is not one of {string.Join(", ", NotificationKinds.All)}");
        }

        var text = Convert.ToString(p.GetValueOrDefault("text"), CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ActionResult.Fail("params.text: what to say is required");
        }

        var error = await notifier.SendAsync(new NotificationRequested(channel, text, request.IncidentId) { Kind = kind }, cancellationToken);
        return error is null
            ? ActionResult.Ok(new JsonObject { ["channel"] = channel, ["kind"] = kind }, $"{kind} sent to {channel}")
            : ActionResult.Transient($"{channel}: {error}");
    }
}
