using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Medic.Core.Bus;
using Medic.Core.Stages;

namespace Medic.Adapters.Bus;

/// <summary>A subscriber's bounded channel. Writers wait when it is full; nothing is dropped.</summary>
internal sealed class Inbox(string subscriber, int capacity, InProcessBus bus) : IInbox
{
    private readonly Channel<IMessage> _channel = Channel.CreateBounded<IMessage>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public string Subscriber { get; } = subscriber;

    public ValueTask WriteAsync(IMessage message, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(message, cancellationToken);

    public ValueTask<bool> WaitToReceiveAsync(CancellationToken cancellationToken) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryReceive([NotNullWhen(true)] out IMessage? message) => _channel.Reader.TryRead(out message);

    public bool TryPostTick(StageTick tick)
    {
        bus.Started();
        if (_channel.Writer.TryWrite(tick))
        {
            return true;
        }

        bus.Completed();
        return false;
    }

    public void Done(IMessage message) => bus.Completed();

    /// <summary>Refuses further messages: a publisher then gets an error instead of a silent loss.</summary>
    public void Close() => _channel.Writer.TryComplete();
}
