namespace Medic.Core.Playbooks;

/// <summary>
/// The order of a playbook's steps. A step runs after the steps it <c>depends_on</c>, or, when it
/// names none, after the step before it in the file (so a plain list runs in order). Steps named
/// in an <c>on_failure</c> are fallbacks: they run only when the step naming them fails.
/// </summary>
public static class StepGraph
{
    /// <summary>What each main (non-fallback) step waits for.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies(IReadOnlyList<PlaybookStep> steps)
    {
        var fallbacks = steps.SelectMany(s => s.OnFailure).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var step in steps.Where(s => !fallbacks.Contains(s.Name)))
        {
            result[step.Name] = step.DependsOn ?? (previous is null ? [] : [previous]);
            previous = step.Name;
        }

        return result;
    }

    /// <summary>
    /// The main steps in an order that respects every dependency, file order breaking ties;
    /// null when the dependencies form a cycle.
    /// </summary>
    public static IReadOnlyList<string>? Order(IReadOnlyList<PlaybookStep> steps)
    {
        var dependencies = Dependencies(steps);
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < dependencies.Count)
        {
            var next = dependencies.Keys.FirstOrDefault(s => !done.Contains(s) && dependencies[s].All(d => done.Contains(d) || !dependencies.ContainsKey(d)));
            if (next is null)
            {
                return null;
            }

            order.Add(next);
            done.Add(next);
        }

        return order;
    }

    /// <summary>Every step that must have run before <paramref name="step"/> (its dependencies, transitively; a fallback's referrer).</summary>
    public static IReadOnlySet<string> RunsBefore(IReadOnlyList<PlaybookStep> steps, string step)
    {
        var dependencies = Dependencies(steps);
        var before = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([step]);
        while (pending.TryPop(out var current))
        {
            var direct = dependencies.GetValueOrDefault(current)
                ?? steps.Where(s => s.OnFailure.Contains(current)).Select(s => s.Name).ToList();
            foreach (var d in direct.Where(before.Add))
            {
                pending.Push(d);
            }
        }

        return before;
    }
}
