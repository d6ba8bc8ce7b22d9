using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Notifications;

/// <summary>
/// Sends notifications through the notifier of their channel. A failing notifier never affects
/// the run that asked for it: the failure goes to the incident's timeline.
/// </summary>
public sealed class NotificationStage(IEnumerable<INotifier> notifiers, IIncidentStore incidents, TimeProvider clock) : IStage
{
    private readonly Dictionary<string, INotifier> _byChannel = notifiers.ToDictionary(n => n.Channel, StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "notify";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(NotificationRequested)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is not NotificationRequested notification)
        {
            return;
        }

        var error = _byChannel.TryGetValue(notification.Channel, out var notifier)
            ? await notifier.SendAsync(notification, cancellationToken)
            : $"no notifier is configured for channel '{notification.Channel}'";
        var line = error is null ? $"sent to {notification.Channel}: {notification.Text}" : $"not sent to {notification.Channel} ({error}): {notification.Text}";
        await incidents.AppendTimelineAsync(new TimelineEntry(notification.IncidentId, clock.GetUtcNow(), Name, "notification", line), cancellationToken);
    }
}
