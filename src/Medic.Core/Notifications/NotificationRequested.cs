using Medic.Core.Bus;

namespace Medic.Core.Notifications;

/// <summary>A message for people on a channel (<c>slack</c>, <c>pagerduty</c>, <c>log</c>, ...).</summary>
/// <param name="Channel">Where it goes.</param>
/// <param name="Text">What it says.</param>
/// <param name="IncidentId">The incident it is about.</param>
public sealed record NotificationRequested(string Channel, string Text, string IncidentId) : IMessage
{
    /// <summary>What it does on a pager: <c>info</c> (default), <c>page</c>, <c>acknowledge</c> or <c>resolve</c>.</summary>
    public string Kind { get; init; } = NotificationKinds.Info;
}
