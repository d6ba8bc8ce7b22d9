namespace Medic.Core.Playbooks.Conditions;

/// <summary><c>and</c>: every part holds (true when empty).</summary>
public sealed record AllOf(IReadOnlyList<Condition> Parts) : Condition
{
    /// <inheritdoc />
    public override bool Evaluate(IReadOnlyDictionary<string, object?> context) => Parts.All(p => p.Evaluate(context));
}
