using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Json;
using Medic.Core.Logs.Clustering;
using Medic.Core.Logs.Mining;
using Medic.Core.Logs.Parsing;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Logs.Signals;

/// <summary>
/// Logs in, signals out. Each line is mined into a template per service; the stage then raises a
/// signal when a service writes a template never seen before (more suspicious soon after a change
/// to it), when a rare template's rate spikes, when error-severity lines burst, when a window's mix
/// of templates is unlike any recurring one (DBSCAN noise, or a new cluster), and when a session's
/// mix is. Windows follow event time; the tick closes the windows of quiet services, ends idle
/// sessions and saves the templates that changed, so their ids survive a restart.
/// </summary>
public sealed partial class LogSignalStage(TemplateMiner miner, ILogTemplateStore store, IBus bus, LogSignalOptions options, TimeProvider clock, ILogger<LogSignalStage> logger) : ITimedStage, IAsyncDisposable
{
    /// <summary>A line stamped further in the future than this is taken as written now (a wrong clock on its host).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A line stamped further in the past than this is taken as written this long ago (a replay, a broken stamp).</summary>
    public static readonly TimeSpan MaxLateness = TimeSpan.FromHours(1);

    /// <summary>Even without changes, templates are saved this often, so their counts and recency survive too.</summary>
    public static readonly TimeSpan FullSaveInterval = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, ServiceLogs> _services = new(StringComparer.Ordinal);
    private readonly Regex? _sessionPattern = options.SessionPattern is { } p ? new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
    private bool _loaded;
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFullSave = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public string Name => "logs";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(LogBatch), typeof(ChangeEvent)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        switch (message)
        {
            case LogBatch batch:
                foreach (var record in batch.Records)
                {
                    await ObserveAsync(record, cancellationToken);
                }

                break;
            case ChangeEvent change:
                State(change.Service).LastChange = new ChangeNote(change.At, change.Description);
                break;
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        foreach (var service in _services.Values)
        {
            // A window is closed once a whole window has passed after its end without a line.
            var current = WindowOf(now - options.Window);
            if (service.Window >= 0 && service.Window < current)
            {
                await CloseWindowsAsync(service, current, cancellationToken);
            }

            // Sessions end by the service's own clock (its newest line), or by ours when it went quiet.
            var idleSince = service.LatestAt > now - options.SessionTimeout ? service.LatestAt - options.SessionTimeout : now - (5 * options.SessionTimeout);
            await EndSessionsAsync(service, idleSince, cancellationToken);
        }

        if (now - _lastSave >= options.SaveInterval)
        {
            var full = now - _lastFullSave >= FullSaveInterval;
            await SaveAsync(full, cancellationToken);
            _lastSave = now;
            _lastFullSave = full ? now : _lastFullSave;
        }
    }

    /// <summary>Saves the templates that changed (with <paramref name="counts"/>, also those that only counted messages).</summary>
    public async Task SaveAsync(bool counts, CancellationToken cancellationToken)
    {
        foreach (var partition in miner.Unsaved(counts))
        {
            await store.SaveAsync(partition.Partition, JsonSerializer.Serialize(partition.State, MedicJson.Options), cancellationToken);
            miner.MarkSaved(partition);
        }
    }

    /// <summary>Saves everything learned when the service stops, so no template id is handed out twice.</summary>
    public async ValueTask DisposeAsync() => await SaveAsync(counts: true, CancellationToken.None);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        _loaded = true;
        foreach (var (partition, json) in await store.LoadAsync(cancellationToken))
        {
            try
            {
                if (JsonSerializer.Deserialize<LogParserState>(json, MedicJson.Options) is { } state)
                {
                    miner.Restore(partition, state);
                }
            }
            catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException or InvalidOperationException)
            {
                // A damaged state costs that service its template ids, not the whole stage its signals.
                LogUnreadable(partition, e.Message);
            }
        }
    }

    private async Task ObserveAsync(LogRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        record = record.At > now + MaxClockSkew ? record with { At = now } : record.At < now - MaxLateness ? record with { At = now - MaxLateness } : record;
        var service = State(record.Service);
        service.FirstSeen ??= record.At;
        service.LatestAt = record.At > service.LatestAt ? record.At : service.LatestAt;
        var window = WindowOf(record.At);
        if (service.Window < 0)
        {
            service.Window = window;
        }
        else if (window > service.Window)
        {
            await CloseWindowsAsync(service, window, cancellationToken);
        }

        var mined = miner.Mine(record.Service, record.Message);
        service.Counts[mined.Template] = service.Counts.GetValueOrDefault(mined.Template) + 1;
        if (record.Level is { } level && options.ErrorLevels.Contains(level))
        {
            service.Errors++;
        }

        if (mined.IsNew && !service.Learning(record.At))
        {
            await PublishAsync(NewTemplate(service, record, mined), cancellationToken);
        }

        if (SessionOf(record) is { } session)
        {
            await TrackSessionAsync(service, session, record.At, service.Key(mined.Template), cancellationToken);
        }
    }

    private string? SessionOf(LogRecord record)
    {
        try
        {
            return record.Session ?? (_sessionPattern?.Match(record.Message) is { Success: true } match ? match.Value : null);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private Signal NewTemplate(ServiceLogs service, LogRecord record, MinedLog mined)
    {
        var afterChange = service.LastChange is { } change && record.At >= change.At && record.At - change.At <= options.ChangeWindow ? change : null;
        var summary = $"{service.Service} wrote a log template never seen before: {mined.Template}";
        if (afterChange is not null)
        {
            summary += $" ({(record.At - afterChange.At).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min after: {afterChange.Description})";
        }

        return Signal(service, "NewLogTemplate", record.At, afterChange is null ? 0.5 : 0.85, summary, mined.Template);
    }

    private ServiceLogs State(string service)
    {
        if (!_services.TryGetValue(service, out var state))
        {
            _services[service] = state = new ServiceLogs(service, options);
        }

        return state;
    }

    private long WindowOf(DateTimeOffset at) => at.UtcTicks / options.Window.Ticks;

    private static Signal Signal(ServiceLogs service, string type, DateTimeOffset at, double score, string summary, string? template = null) => new()
    {
        Id = Guid.CreateVersion7().ToString("n"),
        Source = SignalSources.Logs,
        Type = type,
        Entity = new Entity(EntityKinds.Service, service.Service) { Service = service.Service },
        Score = Math.Clamp(score, 0, 1),
        Confidence = 0.7,
        ObservedAt = at,
        Summary = summary,
        Labels = template is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["template"] = template },
    };

    private ValueTask PublishAsync(Signal signal, CancellationToken cancellationToken) => bus.PublishAsync(signal, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saved log templates of {Partition} could not be read ({Problem}); learning them afresh")]
    private partial void LogUnreadable(string partition, string problem);

    private static SparseVector Vector(IEnumerable<KeyValuePair<int, double>> counts) => new(counts);
}
