using Medic.Core.Bus;

namespace Medic.Core.Storage;

/// <summary>
/// Messages a stage had accepted but not handled when it was stopped. They are handed back to
/// the same stage when it starts again, so a shutdown loses nothing.
/// </summary>
public interface IPendingMessageStore
{
    /// <summary>Persists messages for <paramref name="subscriber"/>.</summary>
    Task SaveAsync(string subscriber, IReadOnlyList<IMessage> messages, CancellationToken cancellationToken);

    /// <summary>Removes and returns what was persisted for <paramref name="subscriber"/>, oldest first.</summary>
    Task<IReadOnlyList<IMessage>> TakeAsync(string subscriber, CancellationToken cancellationToken);
}
