using Medic.Core.Bus;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Hosting;

/// <summary>
/// Runs one stage as a hosted service: handles its inbox one message at a time, posts timer ticks
/// to timed stages, and on shutdown finishes the message in hand, drains the inbox for a while and
/// persists the rest, so nothing accepted is lost. Messages persisted by an earlier shutdown are
/// handled first on start.
/// </summary>
public sealed partial class StageService : IHostedService, IDisposable
{
    private readonly IStage _stage;
    private readonly IInbox _inbox;
    private readonly IPendingMessageStore _pending;
    private readonly TimeProvider _clock;
    private readonly StageHostOptions _options;
    private readonly ILogger<StageService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Queue<IMessage> _restored = new();
    private ITimer? _ticker;
    private Task _loop = Task.CompletedTask;

    /// <summary>Subscribes the stage's inbox at once, so no message published after construction is missed.</summary>
    public StageService(IStage stage, IBus bus, IPendingMessageStore pending, TimeProvider clock, StageHostOptions options, ILogger<StageService> logger)
    {
        _stage = stage;
        _pending = pending;
        _clock = clock;
        _options = options;
        _logger = logger;
        _inbox = bus.Subscribe(stage.Name, stage.Consumes);
    }

    /// <summary>The stage this service runs.</summary>
    public IStage Stage => _stage;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var message in await _pending.TakeAsync(_stage.Name, cancellationToken))
        {
            _restored.Enqueue(message);
        }

        if (_restored.Count > 0)
        {
            LogRestored(_stage.Name, _restored.Count);
        }

        if (_stage is ITimedStage timed)
        {
            _ticker = _clock.CreateTimer(_ => _inbox.TryPostTick(new StageTick(_clock.GetUtcNow())), null, timed.TickInterval, timed.TickInterval);
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        await _stopping.CancelAsync();
        using var hardStop = cancellationToken.Register(_abort.Cancel);
        await _loop;

        // Drain what is already queued, for a while; persist what is left.
        // A zero timeout means no draining at all; a timer of zero would still fire a moment later.
        using var drain = new CancellationTokenSource();
        if (_options.DrainTimeout <= TimeSpan.Zero)
        {
            await drain.CancelAsync();
        }
        else
        {
            drain.CancelAfter(_options.DrainTimeout);
        }

        using var drainOrStop = CancellationTokenSource.CreateLinkedTokenSource(drain.Token, cancellationToken);
        var left = new List<IMessage>(_restored);
        _restored.Clear();
        _inbox.Close();
        while (_inbox.TryReceive(out var message))
        {
            if (message is StageTick)
            {
                _inbox.Done(message);
                continue;
            }

            if (!drainOrStop.IsCancellationRequested && left.Count == 0)
            {
                await HandleAsync(message);
            }
            else
            {
                left.Add(message);
                _inbox.Done(message);
            }
        }

        if (left.Count > 0)
        {
            await _pending.SaveAsync(_stage.Name, left, CancellationToken.None);
            LogPersisted(_stage.Name, left.Count);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ticker?.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested && _restored.TryPeek(out var restored))
        {
            await HandleCoreAsync(restored);
            _restored.Dequeue();
        }

        try
        {
            while (!stopping.IsCancellationRequested && await _inbox.WaitToReceiveAsync(stopping))
            {
                while (!stopping.IsCancellationRequested && _inbox.TryReceive(out var message))
                {
                    await HandleAsync(message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync drains what is left.
        }
    }

    private async Task HandleAsync(IMessage message)
    {
        try
        {
            await HandleCoreAsync(message);
        }
        finally
        {
            _inbox.Done(message);
        }
    }

    private async Task HandleCoreAsync(IMessage message)
    {
        try
        {
            if (message is StageTick tick && _stage is ITimedStage timed)
            {
                await timed.OnTickAsync(tick.At, _abort.Token);
            }
            else
            {
                await _stage.HandleAsync(message, _abort.Token);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            LogAborted(_stage.Name, message.GetType().Name);
        }
#pragma warning disable CA1031 // One bad message must not stop the stage; it is logged with its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(e, _stage.Name, message.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage}: handling {Count} message(s) persisted at the last shutdown")]
    private partial void LogRestored(string stage, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage}: persisted {Count} unhandled message(s); they are handled first at the next start")]
    private partial void LogPersisted(string stage, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage}: shutdown deadline passed while handling a {MessageType}")]
    private partial void LogAborted(string stage, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stage {Stage} failed to handle a {MessageType}; the message is skipped")]
    private partial void LogFailed(Exception exception, string stage, string messageType);
}
