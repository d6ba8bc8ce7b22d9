using System.Collections.Concurrent;

namespace Medic.Demo;

/// <summary>Short incident numbers (#1, #2, ...) shared by the narrator, the approver and the report.</summary>
public sealed class DemoJournal
{
    private readonly ConcurrentDictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The incident's number, assigned on first sight.</summary>
    public int Number(string incidentId) => _numbers.GetOrAdd(incidentId, _ => Interlocked.Increment(ref _next));
}
