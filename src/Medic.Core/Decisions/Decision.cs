using System.Text.Json.Nodes;
using Medic.Core.Learning;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;

namespace Medic.Core.Decisions;

/// <summary>Which playbook Medic chose for an incident, at which automation level, why, and who approved it.</summary>
public sealed record Decision
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>The incident.</summary>
    public required string IncidentId { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where it stands.</summary>
    public required DecisionStatus Status { get; init; }

    /// <summary>The automation level that applies.</summary>
    public required AutomationLevel Level { get; init; }

    /// <summary>Why, in one line.</summary>
    public required string Reason { get; init; }

    /// <summary>The root cause it acts on.</summary>
    public Hypothesis? RootCause { get; init; }

    /// <summary>The chosen playbook's id; null for <see cref="DecisionStatus.NoMatch"/>.</summary>
    public string? PlaybookId { get; init; }

    /// <summary>The chosen playbook's version.</summary>
    public string? PlaybookVersion { get; init; }

    /// <summary>The chosen playbook's text, so that what runs is exactly what was approved.</summary>
    public string? PlaybookText { get; init; }

    /// <summary>The revision of the playbook repository the chosen playbook came from.</summary>
    public string? PlaybookRevision { get; init; }

    /// <summary>Every playbook considered, whether it matched and why.</summary>
    public IReadOnlyList<PlaybookMatch> Matches { get; init; } = [];

    /// <summary>The policy verdict with every rail's reason.</summary>
    public PolicyVerdict? Verdict { get; init; }

    /// <summary>What the playbook acts on.</summary>
    public PolicyTarget? Target { get; init; }

    /// <summary>The person who asked for this run, when a person did (they may not approve it).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Approvals needed before anything runs.</summary>
    public int ApprovalsRequired { get; init; }

    /// <summary>Approvals given so far.</summary>
    public IReadOnlyList<Approval> Approvals { get; init; } = [];

    /// <summary>The context the trigger matched and the templates render against.</summary>
    public JsonObject? Context { get; init; }

    /// <summary>Who may approve (empty: any operator).</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    /// <summary>When an approval request expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who approved or rejected it (<c>medic</c> for automatic approval).</summary>
    public string? DecidedBy { get; init; }

    /// <summary>When it was approved or rejected.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The approver's or rejecter's note.</summary>
    public string? Note { get; init; }

    /// <summary>How the learner picked the playbook among those that matched, with its propensity (for off-policy evaluation); null when it did not pick.</summary>
    public LearnedChoice? Learning { get; init; }
}
