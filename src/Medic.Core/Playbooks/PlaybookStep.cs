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

    /// <summary>Steps that must succeed first; an empty list means none. Default (null): the step before it in the file, so steps run in order.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary>Extra attempts after a retryable failure, with exponential backoff and jitter. Default 0.</summary>
    public int Retries { get; init; }

    /// <summary>Give up on an attempt after this long. Default: <see cref="Workflows.WorkflowRunner.DefaultStepTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Fallback steps, run in order when this step fails for good; they run only as fallbacks.</summary>
    public IReadOnlyList<string> OnFailure { get; init; } = [];

    /// <summary>Safe to repeat with the same effect (consulted when a run resumes after a crash). Default false.</summary>
    public bool Idempotent { get; init; }
}
