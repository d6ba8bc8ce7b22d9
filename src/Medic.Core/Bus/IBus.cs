namespace Medic.Core.Bus;

/// <summary>
/// The bus every stage talks through. A stage never calls the next stage directly;
/// it publishes a message and whoever subscribed to that topic receives it.
/// </summary>
public interface IBus
{
    /// <summary>
    /// Delivers <paramref name="message"/> to the inbox of every subscriber of its topic.
    /// Waits while an inbox is full: the bus pushes back instead of dropping.
    /// </summary>
    ValueTask PublishAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class, IMessage;

    /// <summary>
    /// Opens the inbox of <paramref name="subscriber"/> for the given topics. Subscribe before
    /// publishing starts: a topic delivers only to the subscribers it has when a message is published.
    /// </summary>
    IInbox Subscribe(string subscriber, IReadOnlyCollection<Type> topics);
}
