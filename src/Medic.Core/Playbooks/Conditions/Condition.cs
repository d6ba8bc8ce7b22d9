namespace Medic.Core.Playbooks.Conditions;

/// <summary>
/// A playbook or step condition over the decision context: <c>and</c>, <c>or</c>, <c>not</c>,
/// and comparisons of dotted paths (<c>anomaly.type</c>) with expected values.
/// </summary>
public abstract record Condition
{
    /// <summary>Evaluates the condition against a context (a plain tree).</summary>
    public abstract bool Evaluate(IReadOnlyDictionary<string, object?> context);
}
