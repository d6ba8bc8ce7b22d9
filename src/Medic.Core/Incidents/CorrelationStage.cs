using Medic.Core.Bus;
using Medic.Core.Incidents.Silences;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Incidents;

/// <summary>
/// Correlate: turns the stream of signals into incidents. In order, a signal is
/// <list type="number">
/// <item>muted when an active silence matches it;</item>
/// <item>counted as a duplicate when an active incident holds the same signal (source, type, entity, metric) from within the window;</item>
/// <item>attached to the active incidents it relates to (<see cref="SignalRelations"/>: same service or node, a shared
/// label, a direct call, a shared node) or is a symptom of (it calls into them: inhibition), merging those that
/// turn out to be one;</item>
/// <item>attached to an incident closed moments ago when it is one of its series swinging back (the estate settling after a fix);</item>
/// <item>else held in a pending group with related new signals (or signals on sibling services) for <c>group_wait</c>, after which the group opens one incident.</item>
/// </list>
/// Additions are announced at most every <c>group_interval</c>. Open incidents whose parts no longer relate are split.
/// </summary>
public sealed partial class CorrelationStage(
    IBus bus,
    IIncidentStore incidents,
    ISignalStore signals,
    ISilenceStore silences,
    SignalRelations relations,
    CorrelationOptions options,
    TimeProvider clock,
    ILogger<CorrelationStage> logger) : ITimedStage
{
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly List<PendingGroup> _pending = [];
    private IReadOnlyList<Silence> _silences = [];
    private bool _loaded;

    /// <inheritdoc />
    public string Name => "correlate";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(Signal), typeof(IncidentStateChanged), typeof(SilencesChanged), typeof(IncidentsMergeRequested), typeof(IncidentSplitRequested)];

    /// <summary>How often an open incident is checked for parts that no longer belong together.</summary>
    public static readonly TimeSpan SplitCheckInterval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(5);

    /// <summary>Signals muted by silences since start.</summary>
    public long Muted { get; private set; }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        switch (message)
        {
            case Signal signal:
                await CorrelateAsync(signal, cancellationToken);
                break;
            case IncidentStateChanged changed when _tracked.TryGetValue(changed.IncidentId, out var tracked):
                tracked.Incident = await incidents.GetAsync(changed.IncidentId, cancellationToken) ?? tracked.Incident;
                break;
            case SilencesChanged:
                _silences = await silences.ListAsync(clock.GetUtcNow(), cancellationToken);
                break;
            case IncidentsMergeRequested merge when await ActiveAsync(merge.IntoIncidentId, cancellationToken) is { } into:
                foreach (var id in merge.IncidentIds.Where(id => id != into.Incident.Id))
                {
                    if (await ActiveAsync(id, cancellationToken) is { } other)
                    {
                        await MergeAsync(into, other, $"merged by {merge.Actor}", cancellationToken);
                    }
                }

                await AnnounceAsync(into, clock.GetUtcNow(), force: true, cancellationToken);
                break;
            case IncidentSplitRequested split when await ActiveAsync(split.IncidentId, cancellationToken) is { } from:
                var part = (await signals.ListByIncidentAsync(from.Incident.Id, cancellationToken)).Where(s => split.SignalIds.Contains(s.Id)).ToList();
                if (part.Count > 0 && part.Count < from.Incident.SignalCount)
                {
                    await SplitOffAsync(from, [part], $"split off by {split.Actor}", cancellationToken);
                }

                break;
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        _silences = await silences.ListAsync(now, cancellationToken);
        CoalescePending();
        foreach (var group in _pending.Where(g => now - g.FirstArrival >= options.GroupWait).ToList())
        {
            _pending.Remove(group);
            await OpenOrJoinAsync(group, cancellationToken);
        }

        foreach (var tracked in _tracked.Values.ToList())
        {
            // The topology moves on (calls stop, pods move): now and then, check that what was grouped still belongs together.
            if (tracked.Incident.State is IncidentState.Open or IncidentState.Diagnosed && now - tracked.SplitCheckedAt >= SplitCheckInterval)
            {
                tracked.SplitCheckedAt = now;
                await SplitUnrelatedAsync(tracked, cancellationToken);
            }

            await AnnounceAsync(tracked, now, force: false, cancellationToken);
            if (now - tracked.Incident.LastSignalAt > options.Window + options.SettleWindow)
            {
                _tracked.Remove(tracked.Incident.Id);
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        _loaded = true;
        _silences = await silences.ListAsync(clock.GetUtcNow(), cancellationToken);
        foreach (var incident in await incidents.ListAsync(activeOnly: true, limit: 10_000, cancellationToken))
        {
            var tracked = Track(incident);
            foreach (var signal in await signals.ListByIncidentAsync(incident.Id, cancellationToken))
            {
                tracked.Remember(signal);
            }
        }
    }

    private async Task CorrelateAsync(Signal signal, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_silences.FirstOrDefault(s => s.Mutes(signal, now)) is { } silence)
        {
            Muted++;
            LogMuted(signal.Type, signal.Entity, silence.Id);
            return;
        }

        var key = KeyOf(signal);
        var open = await RelatedAsync(signal, cancellationToken);
        if (open.Select(t => t.Tracked).FirstOrDefault(t => t.Keys.Contains(key)) is { } holder)
        {
            holder.Incident = await UpdateAsync(holder, i => i with
            {
                Duplicates = i.Duplicates + 1,
                LastSignalAt = signal.ObservedAt > i.LastSignalAt ? signal.ObservedAt : i.LastSignalAt,
            }, cancellationToken);
            return;
        }

        if (open.Count > 0)
        {
            var into = open.MinBy(t => t.Tracked.Incident.OpenedAt)!.Tracked;
            foreach (var (other, relation) in open.Where(t => t.Tracked != into && t.Relation == Relation.Related && CanMerge(t.Tracked)))
            {
                await MergeAsync(into, other, $"{signal.Type} on {signal.Entity} relates to both", cancellationToken);
            }

            var how = open.First(t => t.Tracked == into).Relation;
            await AddAsync(into, signal, how == Relation.Symptom ? "symptom" : "signal", cancellationToken);
            return;
        }

        if (RecentlyClosed(signal, now) is { } closed)
        {
            await AddAsync(closed, signal, "after-close", cancellationToken);
            return;
        }

        var footprint = relations.FootprintOf(signal);
        var joined = _pending.Where(g => g.Keys.Contains(key) || relations.Of(signal, g.Footprint) != Relation.None).ToList();
        var group = joined.Count > 0 ? joined[0] : new PendingGroup(new Footprint(footprint.GroupKey), now);
        if (joined.Count == 0)
        {
            _pending.Add(group);
        }

        foreach (var other in joined.Skip(1))
        {
            _pending.Remove(other);
            group.Absorb(other);
        }

        if (!group.Keys.Add(key))
        {
            group.Duplicates++;
            return;
        }

        group.Signals.Add(signal);
        group.Footprint.Add(footprint);
        if (options.GroupWait <= TimeSpan.Zero)
        {
            _pending.Remove(group);
            await OpenOrJoinAsync(group, cancellationToken);
        }
    }

    /// <summary>Active incidents within the window that the signal relates to, checked against the store so that a closed one is never reopened.</summary>
    private async Task<List<(Tracked Tracked, Relation Relation)>> RelatedAsync(Signal signal, CancellationToken cancellationToken)
    {
        var found = new List<(Tracked, Relation)>();
        foreach (var tracked in _tracked.Values.Where(t => Gathers(t.Incident) && signal.ObservedAt - t.Incident.LastSignalAt <= options.Window).ToList())
        {
            var relation = relations.Of(signal, tracked.Footprint);
            if (relation == Relation.None)
            {
                continue;
            }

            tracked.Incident = await incidents.GetAsync(tracked.Incident.Id, cancellationToken) ?? tracked.Incident with { State = IncidentState.Resolved };
            if (Gathers(tracked.Incident))
            {
                found.Add((tracked, relation));
            }
        }

        return found;
    }

    private Tracked? RecentlyClosed(Signal signal, DateTimeOffset now) =>
        _tracked.Values
            .Where(t => t.Incident.State is IncidentState.Resolved or IncidentState.Escalated && now - (t.Incident.ClosedAt ?? now) <= options.SettleWindow)
            .Where(t => t.SwingsBack(signal))
            .MaxBy(t => t.Incident.ClosedAt);

    private async Task OpenOrJoinAsync(PendingGroup group, CancellationToken cancellationToken)
    {
        // An incident may have opened while the group waited: its signals then belong to it.
        foreach (var tracked in _tracked.Values.Where(t => Gathers(t.Incident)).OrderBy(t => t.Incident.OpenedAt).ToList())
        {
            // Still forming (opened within a group wait of these signals), an incident also takes its siblings' signals.
            var forming = group.Signals.Min(s => s.ObservedAt) - tracked.Incident.OpenedAt <= options.GroupWait && relations.Siblings(group.Footprint, tracked.Footprint);
            if ((forming || group.Signals.Any(s => s.ObservedAt - tracked.Incident.LastSignalAt <= options.Window && relations.Of(s, tracked.Footprint) != Relation.None))
                && await incidents.GetAsync(tracked.Incident.Id, cancellationToken) is { } fresh && Gathers(fresh))
            {
                foreach (var signal in group.Signals)
                {
                    await AddAsync(tracked, signal, "signal", cancellationToken);
                }

                return;
            }
        }

        var now = clock.GetUtcNow();
        var incident = NewIncident(group.Signals, group.Footprint.GroupKey, now) with { Duplicates = group.Duplicates };
        await incidents.CreateAsync(incident, cancellationToken);
        var opened = Track(incident);
        foreach (var signal in group.Signals)
        {
            opened.Remember(signal);
            await signals.AddAsync(signal, incident.Id, cancellationToken);
            await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, signal.ObservedAt, Name, "signal", signal.Summary), cancellationToken);
        }

        opened.AnnouncedAt = now;
        await bus.PublishAsync(new IncidentChanged(incident.Id, Opened: true), cancellationToken);
    }

    /// <summary>A new open incident holding <paramref name="held"/>, titled by the first of them.</summary>
    private Incident NewIncident(IReadOnlyList<Signal> held, string groupKey, DateTimeOffset now)
    {
        var first = held.MinBy(s => s.ObservedAt)!;
        return held.Aggregate(
            new Incident
            {
                Id = Guid.CreateVersion7().ToString("n"),
                State = IncidentState.Open,
                Title = $"{first.Type} on {first.Entity}" + (held.Count > 1 ? $" and {held.Count - 1} related signals" : ""),
                OpenedAt = first.ObservedAt,
                UpdatedAt = now,
                LastSignalAt = first.ObservedAt,
                GroupKey = groupKey,
            },
            (i, s) => i.With(s, relations.SharedLabels(s), now));
    }

    private async Task AddAsync(Tracked tracked, Signal signal, string kind, CancellationToken cancellationToken)
    {
        var shared = relations.SharedLabels(signal).ToList();
        tracked.Incident = await UpdateAsync(tracked, i => i.With(signal, shared, clock.GetUtcNow()), cancellationToken);
        tracked.Footprint.Add(signal, shared);
        tracked.Remember(signal);
        tracked.Dirty = tracked.Incident.IsActive;
        await signals.AddAsync(signal, tracked.Incident.Id, cancellationToken);
        var message = kind switch
        {
            "symptom" => $"symptom (inhibited, upstream of this incident): {signal.Summary}",
            "after-close" => $"after it closed, as the estate settled: {signal.Summary}",
            _ => signal.Summary,
        };
        await incidents.AppendTimelineAsync(new TimelineEntry(tracked.Incident.Id, signal.ObservedAt, Name, "signal", message), cancellationToken);
        if (options.GroupInterval <= TimeSpan.Zero)
        {
            await AnnounceAsync(tracked, clock.GetUtcNow(), force: true, cancellationToken);
        }
    }

    private async Task AnnounceAsync(Tracked tracked, DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        if (tracked.Dirty && (force || now - tracked.AnnouncedAt >= options.GroupInterval))
        {
            tracked.Dirty = false;
            tracked.AnnouncedAt = now;
            await bus.PublishAsync(new IncidentChanged(tracked.Incident.Id, Opened: false), cancellationToken);
        }
    }

    /// <summary>Whether an incident still takes related signals; once closed it takes only its series swinging back.</summary>
    private static bool Gathers(Incident incident) => incident.IsActive;

    private static bool CanMerge(Tracked tracked) => tracked.Incident.State is IncidentState.Open or IncidentState.Diagnosed;

    private async Task<Tracked?> ActiveAsync(string id, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(id, cancellationToken) is not { IsActive: true } incident)
        {
            return null;
        }

        if (!_tracked.TryGetValue(id, out var tracked))
        {
            tracked = Track(incident);
            tracked.Remember(await signals.ListByIncidentAsync(id, cancellationToken));
        }

        tracked.Incident = incident;
        return tracked;
    }

    private async Task<Incident> UpdateAsync(Tracked tracked, Func<Incident, Incident> change, CancellationToken cancellationToken) =>
        await incidents.UpdateAsync(tracked.Incident.Id, change, cancellationToken) ?? change(tracked.Incident);

    private Tracked Track(Incident incident) => _tracked[incident.Id] = new Tracked(incident, Footprint.Of(incident));

    /// <summary>What makes two signals the same signal: a repeat is a duplicate, not news.</summary>
    private static string KeyOf(Signal signal) => $"{signal.Source}|{signal.Type}|{signal.Entity}|{signal.Metric}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Type} on {Entity} muted by silence {Silence}")]
    private partial void LogMuted(string type, Entity entity, string silence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {From} merged into {Into}: {Reason}")]
    private partial void LogMerged(string from, string into, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {From}: {Count} unrelated signals split off into incident {Into}")]
    private partial void LogSplit(string from, string into, int count);
}
