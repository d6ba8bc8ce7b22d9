namespace Medic.Core.Notifications;

/// <summary>Delivers notifications to one channel.</summary>
public interface INotifier
{
    /// <summary>The channel name playbooks use, e.g. <c>slack</c>.</summary>
    string Channel { get; }

    /// <summary>Delivers the notification; returns an error text when it failed, or null.</summary>
    Task<string?> SendAsync(NotificationRequested notification, CancellationToken cancellationToken);
}
