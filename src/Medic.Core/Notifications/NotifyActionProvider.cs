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
        if (Shape(p).FirstOrDefault() is { } problem)
        {
            return ActionResult.Fail(problem);
        }

        var channel = (string)p["channel"]!;
        if (!_byChannel.TryGetValue(channel, out var notifier))
        {
            return ActionResult.Fail($"params.channel: '{channel}' is not a configured channel; configured: {string.Join(", ", _byChannel.Keys.Order(StringComparer.Ordinal))}");
        }

        var kind = p.GetValueOrDefault("kind") as string ?? NotificationKinds.Info;
        var text = Convert.ToString(p["text"], CultureInfo.InvariantCulture)!;
        var error = await notifier.SendAsync(new NotificationRequested(channel, text, request.IncidentId) { Kind = kind }, cancellationToken);
        return error is null
            ? ActionResult.Ok(new JsonObject { ["channel"] = channel, ["kind"] = kind }, $"{kind} sent to {channel}")
            : ActionResult.Transient($"{channel}: {error}");
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters)
    {
        if (parameters.Keys.Except(["channel", "text", "kind"]).FirstOrDefault() is { } unknown)
        {
            yield return $"params.{unknown}: unknown parameter; notify takes channel, text and kind";
        }

        if (parameters.GetValueOrDefault("channel") is not string { Length: > 0 })
        {
            yield return "params.channel: required: log, slack, pagerduty or a webhook's name";
        }

        if (parameters.GetValueOrDefault("kind") is { } kind && (kind is not string k || !NotificationKinds.All.Contains(k)))
        {
            yield return $"params.kind: '{kind}' is not one of {string.Join(", ", NotificationKinds.All)}";
        }

        if (string.IsNullOrWhiteSpace(Convert.ToString(parameters.GetValueOrDefault("text"), CultureInfo.InvariantCulture)))
        {
            yield return "params.text: what to say is required";
        }
    }
}
