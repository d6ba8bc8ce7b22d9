namespace Medic.Core.Notifications;

/// <summary>The values of <see cref="NotificationRequested.Kind"/>.</summary>
public static class NotificationKinds
{
    /// <summary>For information: a chat message.</summary>
    public const string Info = "info";

    /// <summary>Wake someone up: a pager trigger.</summary>
    public const string Page = "page";

    /// <summary>Someone is on it.</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>It is over.</summary>
    public const string Resolve = "resolve";

    /// <summary>All of them.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Info, Page, Acknowledge, Resolve };
}
