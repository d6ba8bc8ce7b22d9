namespace Medic.Core.Playbooks.Conditions;

/// <summary>
/// A playbook or step condition over the decision context: <c>and</c>, <c>or</c>, <c>not</c>,
/// and comparisons of dotted paths (<c>anomaly.type</c>) with expected values.
/// </summary>
public abstract record Condition
{
    /// <summary>How many comparisons it makes: the more, the more specific a trigger is.</summary>
    public abstract int Specificity { get; }

    /// <summary>The dotted paths it reads.</summary>
    public abstract IEnumerable<string> Paths { get; }

    /// <summary>Evaluates the condition against a context (a plain tree).</summary>
    public bool Evaluate(IReadOnlyDictionary<string, object?> context) => Explain(context, null);

    /// <summary>
    /// Evaluates the condition and, when <paramref name="reasons"/> is given, adds one line per
    /// comparison saying whether it held and what the context held instead.
    /// </summary>
    public abstract bool Explain(IReadOnlyDictionary<string, object?> context, List<string>? reasons);
}
