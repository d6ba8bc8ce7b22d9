namespace Medic.Core.Playbooks;

/// <summary>
/// Matches playbooks against the contexts of a decision (one per signal of the suspect,
/// strongest first). Every playbook gets a verdict with its reasons; the matched ones are ranked
/// by priority, then specificity (the trigger that says more about the situation wins), then id.
/// </summary>
public static class PlaybookMatcher
{
    /// <summary>A playbook's match and the context it matched in (null when it did not match).</summary>
    public sealed record Result(Playbook Playbook, PlaybookMatch Match, IReadOnlyDictionary<string, object?>? Context);

    /// <summary>Matches every playbook; the matched ones first, best first, then the others by id.</summary>
    public static IReadOnlyList<Result> Match(IEnumerable<Playbook> playbooks, IReadOnlyList<(string? SignalId, IReadOnlyDictionary<string, object?> Context)> contexts)
    {
        var results = new List<Result>();
        foreach (var playbook in playbooks)
        {
            Result? first = null;
            foreach (var (signalId, context) in contexts)
            {
                var reasons = new List<string>();
                var matched = playbook.Trigger.Explain(context, reasons);
                if (playbook.Condition is { } guard)
                {
                    var why = new List<string>();
                    matched &= guard.Explain(context, why);
                    reasons.AddRange(why.Select(w => "condition " + w));
                }

                var match = new PlaybookMatch(playbook.Id, playbook.Version, playbook.Revision, playbook.Priority, playbook.Trigger.Specificity, matched, reasons) { SignalId = signalId };
                first ??= new Result(playbook, match, null);
                if (matched)
                {
                    first = new Result(playbook, match, context);
                    break;
                }
            }

            results.Add(first ?? new Result(playbook, new PlaybookMatch(playbook.Id, playbook.Version, playbook.Revision, playbook.Priority, playbook.Trigger.Specificity, false, ["no signal of the suspect to match against"]), null));
        }

        return results
            .OrderByDescending(r => r.Match.Matched)
            .ThenByDescending(r => r.Match.Matched ? r.Match.Priority : 0)
            .ThenByDescending(r => r.Match.Matched ? r.Match.Specificity : 0)
            .ThenBy(r => r.Match.PlaybookId, StringComparer.Ordinal)
            .ToList();
    }
}
