namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>or</c>: at least one part holds.</summary>
public sealed record AnyOf(IReadOnlyList<Condition> Parts) : Condition
{
    /// <inheritdoc />
    public override bool Evaluate(IReadOnlyDictionary<string, object?> context) => Parts.Any(p => p.Evaluate(context));
}
