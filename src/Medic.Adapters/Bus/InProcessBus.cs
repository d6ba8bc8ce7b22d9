using Medic.Core.Bus;

namespace Medic.Adapters.Bus;

/// <summary>
/// The default bus: one bounded inbox per subscriber, fed by the topics it subscribed to.
/// Publishing waits while an inbox is full (backpressure), so accepted data is never dropped.
/// </summary>
public sealed class InProcessBus(InProcessBusOptions options) : IBus, IBusMonitor
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Inbox> _inboxes = new(StringComparer.Ordinal);
    private volatile Dictionary<Type, Inbox[]> _topics = [];
    private long _inFlight;
    private long _waitingForTime;
    private TaskCompletionSource _idle = CompletedSource();

    /// <inheritdoc />
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <inheritdoc />
    public async ValueTask PublishAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class, IMessage
    {
        if (!_topics.TryGetValue(message.GetType(), out var inboxes))
        {
            return;
        }

        foreach (var inbox in inboxes)
        {
            Started();
            try
            {
                await inbox.WriteAsync(message, cancellationToken);
            }
            catch
            {
                Completed();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public IInbox Subscribe(string subscriber, IReadOnlyCollection<Type> topics)
    {
        lock (_lock)
        {
            if (_inboxes.ContainsKey(subscriber))
            {
                throw new InvalidOperationException($"Subscriber '{subscriber}' already has an inbox; subscriber names must be unique.");
            }

            var inbox = new Inbox(subscriber, options.InboxCapacity, this);
            _inboxes[subscriber] = inbox;
            var topicsCopy = new Dictionary<Type, Inbox[]>(_topics);
            foreach (var topic in topics)
            {
                topicsCopy[topic] = [.. topicsCopy.GetValueOrDefault(topic) ?? [], inbox];
            }

            _topics = topicsCopy;
            return inbox;
        }
    }

    /// <inheritdoc />
    public Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task DelayAsync(TimeSpan delay, TimeProvider clock, CancellationToken cancellationToken)
    {
        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counted = 1;
        void Stop()
        {
            if (Interlocked.Exchange(ref counted, 0) == 1)
            {
                Change(0, -1);
            }
        }

        Change(0, 1);
        try
        {
            // The timer's callback stops the count itself: on a simulated clock it runs while the
            // driver fires timers, so the driver sees the handler busy again before it looks.
            await using var timer = clock.CreateTimer(_ => { Stop(); elapsed.TrySetResult(); }, null, delay, Timeout.InfiniteTimeSpan);
            await using var cancelled = cancellationToken.Register(() => elapsed.TrySetCanceled(cancellationToken));
            await elapsed.Task;
        }
        finally
        {
            Stop();
        }
    }

    internal void Started() => Change(1, 0);

    internal void Completed() => Change(-1, 0);

    /// <summary>Moves the counts; opens a new idle wait when work starts, completes it when nothing but waits for time is left.</summary>
    private void Change(long inFlight, long waitingForTime)
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            _inFlight += inFlight;
            _waitingForTime += waitingForTime;
            var busy = _inFlight > _waitingForTime;
            if (busy && _idle.Task.IsCompleted)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (!busy)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }

    private static TaskCompletionSource CompletedSource()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
