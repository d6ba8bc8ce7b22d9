using Medic.Core.Bus;

namespace Medic.Testing;

/// <summary>A bus that keeps what was published, in order.</summary>
internal sealed class RecordingBus : IBus
{
    private readonly List<IMessage> _messages = [];

    /// <summary>What was published so far (a copy: publishers may run on several threads).</summary>
    public IReadOnlyList<IMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public void Clear()
    {
        lock (_messages)
        {
            _messages.Clear();
        }
    }

    public ValueTask PublishAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class, IMessage
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return ValueTask.CompletedTask;
    }

    public IInbox Subscribe(string subscriber, IReadOnlyCollection<Type> topics) => throw new NotSupportedException("Tests with a recording bus do not subscribe.");
}
