using Medic.Core.Decisions;

namespace Medic.Core.Notifications;

/// <summary>A notifier that can ask people to approve a decision where they are (Slack buttons, say).</summary>
public interface IApprovalNotifier
{
    /// <summary>Asks for approval of <paramref name="decision"/>; returns an error text when it failed, or null.</summary>
    Task<string?> RequestApprovalAsync(Decision decision, CancellationToken cancellationToken);
}
