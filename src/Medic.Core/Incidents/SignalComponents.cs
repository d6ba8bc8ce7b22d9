using Medic.Core.Signals;

namespace Medic.Core.Incidents;

/// <summary>Splits signals into the parts that the correlation rules connect (connected components).</summary>
public static class SignalComponents
{
    /// <summary>
    /// The connected parts of <paramref name="signals"/>, largest first. Signals about the same
    /// entity go together first, so the rules are asked once per pair of entities, not of signals.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Signal>> Of(IReadOnlyList<Signal> signals, SignalRelations relations)
    {
        var byEntity = signals.GroupBy(s => (s.Entity, relations.GroupKey(s), string.Join(',', relations.SharedLabels(s)))).Select(g => g.ToList()).ToList();
        var parent = Enumerable.Range(0, byEntity.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        for (var i = 0; i < byEntity.Count; i++)
        {
            for (var j = i + 1; j < byEntity.Count; j++)
            {
                if (Find(i) != Find(j) && relations.Connected(byEntity[i][0], byEntity[j][0]))
                {
                    parent[Find(i)] = Find(j);
                }
            }
        }

        return [.. Enumerable.Range(0, byEntity.Count)
            .GroupBy(Find)
            .Select(g => (IReadOnlyList<Signal>)[.. g.SelectMany(i => byEntity[i]).OrderBy(s => s.ObservedAt)])
            .OrderByDescending(p => p.Count)];
    }
}
