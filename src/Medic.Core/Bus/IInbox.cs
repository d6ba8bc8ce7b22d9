using System.Diagnostics.CodeAnalysis;
using Medic.Core.Stages;

namespace Medic.Core.Bus;

/// <summary>One subscriber's bounded queue of messages, read by one consumer at a time.</summary>
public interface IInbox
{
    /// <summary>The subscriber that owns this inbox.</summary>
    string Subscriber { get; }

    /// <summary>Waits until a message is available; false once the inbox is closed and empty.</summary>
    ValueTask<bool> WaitToReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Takes the next message if one is waiting.</summary>
    bool TryReceive([NotNullWhen(true)] out IMessage? message);

    /// <summary>
    /// Posts a timer tick without waiting; false when the inbox is full (the stage is busy, and
    /// the next tick will come). A posted tick counts as in flight until it is done.
    /// </summary>
    bool TryPostTick(StageTick tick);

    /// <summary>Marks a received message as handled, so the bus can tell when it is idle.</summary>
    void Done(IMessage message);

    /// <summary>Refuses further messages (on shutdown): a late publisher gets an error, not a silent loss.</summary>
    void Close();
}
