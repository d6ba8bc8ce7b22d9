namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>not</c>: the part does not hold.</summary>
public sealed record Negation(Condition Part) : Condition
{
    /// <inheritdoc />
    public override bool Evaluate(IReadOnlyDictionary<string, object?> context) => !Part.Evaluate(context);
}
