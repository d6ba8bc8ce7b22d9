using Medic.Core.Bus;

namespace Medic.Testing;

/// <summary>A bus that keeps what was published, in order.</summary>
internal sealed class RecordingBus : IBus
{
    public List<IMessage> Messages { get; } = [];

    public ValueTask PublishAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class, IMessage
    {
        Messages.Add(message);
        return ValueTask.CompletedTask;
    }

    public IInbox Subscribe(string subscriber, IReadOnlyCollection<Type> topics) => throw new NotSupportedException("Tests with a recording bus do not subscribe.");
}
