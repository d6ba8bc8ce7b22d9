using Medic.Core.Playbooks.Conditions;

namespace Medic.Core.Playbooks;

/// <summary>One action of a playbook.</summary>
public sealed record PlaybookStep
{
    /// <summary>Unique within the playbook; later steps read this step's output as <c>outputs['name']</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The action provider, e.g. <c>kubernetes_api_call</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The provider's parameters, a plain tree whose strings may hold <c>{{ }}</c> templates.</summary>
    public IReadOnlyDictionary<string, object?> Params { get; init; } = new Dictionary<string, object?>();

    /// <summary>Run only when this holds; skipped otherwise.</summary>
    public Condition? Condition { get; init; }

    /// <summary>Give up on the step after this long. Default: the provider's own limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Safe to repeat with the same effect (consulted when a run resumes after a crash).</summary>
    public bool Idempotent { get; init; }
}
