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

namespace Medic.Core.Logs.Signals;

/// <summary>
/// Logs in, signals out. Each line is mined into a template per service; the stage then raises a
/// signal when a service writes a template never seen before (more suspicious soon after a change
/// to it), when a rare template's rate spikes, when error-severity lines burst, when a window's mix
/// of templates is unlike any recurring one (DBSCAN noise, or a new cluster), and when a session's
/// mix is. Windows follow event time; the tick closes the windows of quiet services, ends idle
/// sessions and saves the templates that changed, so their ids survive a restart.
/// </summary>
public sealed partial class LogSignalStage(TemplateMiner miner, ILogTemplateStore store, IBus bus, LogSignalOptions options) : ITimedStage
{
    private readonly Dictionary<string, ServiceLogs> _services = new(StringComparer.Ordinal);
    private readonly Regex? _sessionPattern = options.SessionPattern is { } p ? new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
    private bool _loaded;
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;

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
                State(change.Service, change.At).LastChange = new ChangeNote(change.At, change.Description);
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

            await EndSessionsAsync(service, now - options.SessionTimeout, cancellationToken);
        }

        if (now - _lastSave >= options.SaveInterval)
        {
            await SaveAsync(cancellationToken);
            _lastSave = now;
        }
    }

    /// <summary>Saves the templates that changed since the last save.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        foreach (var (partition, state) in miner.TakeChanged())
        {
            await store.SaveAsync(partition, JsonSerializer.Serialize(state, MedicJson.Options), cancellationToken);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        foreach (var (partition, json) in await store.LoadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<LogParserState>(json, MedicJson.Options) is { } state)
            {
                miner.Restore(partition, state);
            }
        }

        _loaded = true;
    }

    private async Task ObserveAsync(LogRecord record, CancellationToken cancellationToken)
    {
        var service = State(record.Service, record.At);
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

    private string? SessionOf(LogRecord record) =>
        record.Session ?? (_sessionPattern?.Match(record.Message) is { Success: true } match ? match.Value : null);

    private Signal NewTemplate(ServiceLogs service, LogRecord record, MinedLog mined)
    {
        var afterChange = service.LastChange is { } change && record.At >= change.At && record.At - change.At <= options.ChangeWindow ? change : null;
        var summary = $"{service.Service} wrote a log template never seen before: {mined.Template}";
        if (afterChange is not null)
        {
            summary += $" ({(record.At - afterChange.At).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min after: {afterChange.Description})";
        }

        return Signal(service, "NewLogTemplate", record.At, afterChange is null ? 0.5 : 0.85, summary);
    }

    private ServiceLogs State(string service, DateTimeOffset at)
    {
        if (!_services.TryGetValue(service, out var state))
        {
            _services[service] = state = new ServiceLogs(service, at, options);
        }

        return state;
    }

    private long WindowOf(DateTimeOffset at) => at.UtcTicks / options.Window.Ticks;

    private static Signal Signal(ServiceLogs service, string type, DateTimeOffset at, double score, string summary) => new()
    {
        Id = Guid.CreateVersion7().ToString("n"),
        Source = SignalSources.Logs,
        Type = type,
        Entity = new Entity(EntityKinds.Service, service.Service) { Service = service.Service },
        Score = Math.Clamp(score, 0, 1),
        Confidence = 0.7,
        ObservedAt = at,
        Summary = summary,
    };

    private ValueTask PublishAsync(Signal signal, CancellationToken cancellationToken) => bus.PublishAsync(signal, cancellationToken);

    private static SparseVector Vector(IEnumerable<KeyValuePair<int, double>> counts) => new(counts);
}
