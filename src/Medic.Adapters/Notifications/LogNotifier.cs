using Medic.Core.Notifications;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Notifications;

/// <summary>The <c>log</c> channel: writes notifications to Medic's own log.</summary>
public sealed partial class LogNotifier(ILogger<LogNotifier> logger) : INotifier
{
    /// <inheritdoc />
    public string Channel => "log";

    /// <inheritdoc />
    public Task<string?> SendAsync(NotificationRequested notification, CancellationToken cancellationToken)
    {
        LogNotification(notification.IncidentId, notification.Text);
        return Task.FromResult<string?>(null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: {Text}")]
    private partial void LogNotification(string incidentId, string text);
}
