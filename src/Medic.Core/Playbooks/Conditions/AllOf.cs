namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>and</c>: every part holds (true when empty).</summary>
public sealed record AllOf(IReadOnlyList<Condition> Parts) : Condition
{
    /// <inheritdoc />
    public override IEnumerable<string> Paths => Parts.SelectMany(p => p.Paths);

    /// <inheritdoc />
    public override int Specificity => Parts.Sum(p => p.Specificity);

    /// <inheritdoc />
    public override bool Explain(IReadOnlyDictionary<string, object?> context, List<string>? reasons)
    {
        // When explaining, every part is evaluated so that every failing comparison is named.
        var holds = true;
        foreach (var part in Parts)
        {
            holds &= part.Explain(context, reasons);
            if (!holds && reasons is null)
            {
                return false;
            }
        }

        return holds;
    }
}
