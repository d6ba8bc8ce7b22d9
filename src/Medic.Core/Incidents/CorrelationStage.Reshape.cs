using Medic.Core.Signals;

namespace Medic.Core.Incidents;

public sealed partial class CorrelationStage
{
    /// <summary>
    /// Joins waiting groups that have become related (what connects them, a call edge seen for the
    /// first time, say, may have been learned after their first signals arrived) or that touch
    /// siblings: new at the same time under the same caller.
    /// </summary>
    private void CoalescePending()
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            for (var j = _pending.Count - 1; j > i; j--)
            {
                if (_pending[j].Signals.Any(s => relations.Of(s, _pending[i].Footprint) != Relation.None)
                    || _pending[i].Signals.Any(s => relations.Of(s, _pending[j].Footprint) != Relation.None)
                    || relations.Siblings(_pending[i].Footprint, _pending[j].Footprint))
                {
                    _pending[i].Absorb(_pending[j]);
                    _pending.RemoveAt(j);
                }
            }
        }
    }

    /// <summary>Moves everything of <paramref name="from"/> into <paramref name="into"/> and closes it as merged.</summary>
    private async Task MergeAsync(Tracked into, Tracked from, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var moved = await signals.ListByIncidentAsync(from.Incident.Id, cancellationToken);
        await signals.MoveAsync([.. moved.Select(s => s.Id)], into.Incident.Id, cancellationToken);
        var absorbed = from.Incident;
        into.Incident = await UpdateAsync(into, i => i with
        {
            OpenedAt = absorbed.OpenedAt < i.OpenedAt ? absorbed.OpenedAt : i.OpenedAt,
            LastSignalAt = absorbed.LastSignalAt > i.LastSignalAt ? absorbed.LastSignalAt : i.LastSignalAt,
            UpdatedAt = now,
            Services = [.. i.Services.Union(absorbed.Services)],
            Nodes = [.. i.Nodes.Union(absorbed.Nodes)],
            NodeSymptoms = [.. i.NodeSymptoms.Union(absorbed.NodeSymptoms)],
            SharedLabels = [.. i.SharedLabels.Union(absorbed.SharedLabels)],
            SignalCount = i.SignalCount + absorbed.SignalCount,
            Duplicates = i.Duplicates + absorbed.Duplicates,
            MaxScore = Math.Max(i.MaxScore, absorbed.MaxScore),
        }, cancellationToken);
        into.Footprint.Add(from.Footprint);
        into.Remember(from);
        into.Dirty = true;
        from.Incident = await UpdateAsync(from, i => i with { State = IncidentState.Merged, MergedInto = into.Incident.Id, ClosedAt = now, UpdatedAt = now }, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(into.Incident.Id, now, Name, "merge", $"merged incident {absorbed.Id} ({absorbed.Title}, {absorbed.SignalCount} signals) into this one: {reason}"), cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(absorbed.Id, now, Name, "state", $"merged: into incident {into.Incident.Id}: {reason}"), cancellationToken);
        await bus.PublishAsync(new IncidentStateChanged(absorbed.Id, IncidentState.Merged, $"merged into incident {into.Incident.Id}"), cancellationToken);
        LogMerged(absorbed.Id, into.Incident.Id, reason);
    }

    /// <summary>Finds the parts of an incident that nothing connects any more and moves all but the largest into incidents of their own.</summary>
    private async Task SplitUnrelatedAsync(Tracked tracked, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(tracked.Incident.Id, cancellationToken) is not { State: IncidentState.Open or IncidentState.Diagnosed } fresh)
        {
            return;
        }

        tracked.Incident = fresh;
        var held = await signals.ListByIncidentAsync(tracked.Incident.Id, cancellationToken);
        var parts = SignalComponents.Of(held, relations);
        if (parts.Count > 1)
        {
            var largest = parts.MaxBy(p => p.Count)!;
            await SplitOffAsync(tracked, [.. parts.Where(p => p != largest)], "unrelated to the rest: no call, node or label connects them", cancellationToken);
        }
    }

    private async Task SplitOffAsync(Tracked from, IReadOnlyList<IReadOnlyList<Signal>> parts, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var remaining = (await signals.ListByIncidentAsync(from.Incident.Id, cancellationToken)).Where(s => !parts.Any(p => p.Contains(s))).ToList();
        foreach (var part in parts)
        {
            var first = part.MinBy(s => s.ObservedAt)!;
            var incident = NewIncident(part, from.Incident.GroupKey, now);
            await incidents.CreateAsync(incident, cancellationToken);
            await signals.MoveAsync([.. part.Select(s => s.Id)], incident.Id, cancellationToken);
            var split = Track(incident);
            split.Remember(part);
            split.AnnouncedAt = now;
            await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, now, Name, "split", $"split from incident {from.Incident.Id}: {reason}"), cancellationToken);
            await incidents.AppendTimelineAsync(new TimelineEntry(from.Incident.Id, now, Name, "split", $"{part.Count} signals ({first.Type} on {first.Entity}, ...) split off into incident {incident.Id}: {reason}"), cancellationToken);
            await bus.PublishAsync(new IncidentChanged(incident.Id, Opened: true), cancellationToken);
            LogSplit(from.Incident.Id, incident.Id, part.Count);
        }

        // What stays is recomputed from the signals that stay.
        var keep = remaining.Aggregate(
            from.Incident with { Services = [], Nodes = [], NodeSymptoms = [], SharedLabels = [], SignalCount = 0, MaxScore = 0, LastSignalAt = remaining.Min(s => s.ObservedAt) },
            (i, s) => i.With(s, relations.SharedLabels(s), now));
        from.Incident = await UpdateAsync(from, _ => keep, cancellationToken);
        from.Footprint = Footprint.Of(from.Incident);
        from.Forget();
        from.Remember(remaining);
        from.Dirty = true;
        await AnnounceAsync(from, now, force: true, cancellationToken);
    }
}
