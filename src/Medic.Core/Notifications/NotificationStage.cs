using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Notifications;

/// <summary>
/// Sends notifications through the notifier of their channel, asks for approvals where people
/// can answer (Slack buttons), and resolves a page when its incident resolves. A failing notifier
/// never affects the run that asked for it: the failure goes to the incident's timeline.
/// </summary>
public sealed class NotificationStage(IEnumerable<INotifier> notifiers, IEnumerable<IApprovalNotifier> approvers, IIncidentStore incidents, TimeProvider clock) : IStage
{
    private readonly Dictionary<string, INotifier> _byChannel = notifiers.ToDictionary(n => n.Channel, StringComparer.Ordinal);
    private readonly Dictionary<string, string> _paged = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "notify";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(NotificationRequested), typeof(DecisionMade), typeof(IncidentStateChanged)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case NotificationRequested notification:
                if (notification.Kind == NotificationKinds.Page)
                {
                    _paged[notification.IncidentId] = notification.Channel;
                }

                await SendAsync(notification, cancellationToken);
                break;
            case DecisionMade { Decision: { Status: DecisionStatus.AwaitingApproval, Approvals.Count: 0 } decision }:
                foreach (var approver in approvers)
                {
                    if (await approver.RequestApprovalAsync(decision, cancellationToken) is { } error)
                    {
                        await incidents.AppendTimelineAsync(new TimelineEntry(decision.IncidentId, clock.GetUtcNow(), Name, "notification", $"approval request not sent ({error})"), cancellationToken);
                    }
                }

                break;
            case IncidentStateChanged { State: IncidentState.Resolved } resolved when _paged.Remove(resolved.IncidentId, out var channel):
                await SendAsync(new NotificationRequested(channel, $"Incident {resolved.IncidentId} resolved: {resolved.Reason}", resolved.IncidentId) { Kind = NotificationKinds.Resolve }, cancellationToken);
                break;
        }
    }

    private async Task SendAsync(NotificationRequested notification, CancellationToken cancellationToken)
    {
        var error = _byChannel.TryGetValue(notification.Channel, out var notifier)
            ? await notifier.SendAsync(notification, cancellationToken)
            : $"no notifier is configured for channel '{notification.Channel}'";
        var line = error is null ? $"sent to {notification.Channel}: {notification.Text}" : $"not sent to {notification.Channel} ({error}): {notification.Text}";
        await incidents.AppendTimelineAsync(new TimelineEntry(notification.IncidentId, clock.GetUtcNow(), Name, "notification", line), cancellationToken);
    }
}
