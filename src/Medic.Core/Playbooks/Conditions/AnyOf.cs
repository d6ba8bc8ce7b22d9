namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>or</c>: at least one part holds.</summary>
public sealed record AnyOf(IReadOnlyList<Condition> Parts) : Condition
{
    /// <inheritdoc />
    public override IEnumerable<string> Paths => Parts.SelectMany(p => p.Paths);

    /// <inheritdoc />
    public override int Specificity => Parts.Count == 0 ? 0 : Parts.Min(p => p.Specificity);

    /// <inheritdoc />
    public override bool Explain(IReadOnlyDictionary<string, object?> context, List<string>? reasons)
    {
        var failures = reasons is null ? null : new List<string>();
        foreach (var part in Parts)
        {
            var why = reasons is null ? null : new List<string>();
            if (part.Explain(context, why))
            {
                reasons?.AddRange(why!);
                return true;
            }

            failures?.AddRange(why!);
        }

        reasons?.AddRange(failures!);
        return false;
    }
}
