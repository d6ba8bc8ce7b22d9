namespace Medic.Core.Playbooks;

/// <summary>A step as it would run against a context, before anything runs.</summary>
/// <param name="Name">The step.</param>
/// <param name="Type">Its action type.</param>
/// <param name="Fallback">Whether it runs only when another step fails.</param>
/// <param name="Gated">Whether its condition fails, so it would be skipped.</param>
/// <param name="Rendered">Its parameters, rendered; values only a run can know are shown as pending.</param>
public sealed record StepPreview(string Name, string Type, bool Fallback, bool Gated, IReadOnlyDictionary<string, object?> Rendered)
{
    /// <summary>Whether its condition reads outputs of earlier steps, so only the run can tell.</summary>
    public bool ConditionPending { get; init; }

    /// <summary>Why its condition holds or fails.</summary>
    public IReadOnlyList<string> ConditionReasons { get; init; } = [];

    /// <summary>A template that cannot render against the context (an unknown variable, say).</summary>
    public string? Error { get; init; }
}
