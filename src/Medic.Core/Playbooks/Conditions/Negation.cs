namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>not</c>: the part does not hold.</summary>
public sealed record Negation(Condition Part) : Condition
{
    /// <inheritdoc />
    public override IEnumerable<string> Paths => Part.Paths;

    /// <inheritdoc />
    public override int Specificity => Part.Specificity;

    /// <inheritdoc />
    public override bool Explain(IReadOnlyDictionary<string, object?> context, List<string>? reasons)
    {
        var why = reasons is null ? null : new List<string>();
        var holds = !Part.Explain(context, why);
        reasons?.Add($"{(holds ? "holds" : "fails")}: not ({string.Join("; ", why!)})");
        return holds;
    }
}
