using Medic.Core.Playbooks.Conditions;

namespace Medic.Core.Playbooks;

/// <summary>A remediation playbook: when it applies, what it does, whom it tells, and how far it may go alone.</summary>
public sealed record Playbook
{
    /// <summary>Unique id, e.g. <c>k8s-pod-oom-restart-v1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>What it does, for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>When several playbooks match, the highest priority wins. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>When the playbook applies.</summary>
    public required Condition Trigger { get; init; }

    /// <summary>A further guard that must also hold (for example, on the environment); null when absent.</summary>
    public Condition? Condition { get; init; }

    /// <summary>The steps, run in order.</summary>
    public required IReadOnlyList<PlaybookStep> Actions { get; init; }

    /// <summary>Notifications sent after a run.</summary>
    public IReadOnlyList<NotifySpec> Notify { get; init; } = [];

    /// <summary>How far Medic may act on its own with this playbook.</summary>
    public SafetySpec Safety { get; init; } = new();

    /// <summary>The file it was loaded from, relative to the playbook directory.</summary>
    public string Source { get; init; } = "";

    /// <summary>The revision of the playbook repository it came from (a Git commit, or the directory).</summary>
    public string Revision { get; init; } = "";

    /// <summary>The first 12 hex digits of the SHA-256 of the file: changes whenever the file does.</summary>
    public string Version { get; init; } = "";

    /// <summary>The file's text, kept so a decision records exactly what was approved.</summary>
    public string Text { get; init; } = "";

    /// <summary>The step with this name.</summary>
    public PlaybookStep Step(string name) => Actions.First(a => a.Name == name);

    /// <summary>Steps that run only as another step's fallback.</summary>
    public IReadOnlySet<string> FallbackSteps => Actions.SelectMany(a => a.OnFailure).ToHashSet(StringComparer.Ordinal);
}
