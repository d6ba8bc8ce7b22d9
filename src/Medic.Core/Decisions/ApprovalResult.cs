namespace Medic.Core.Decisions;

/// <summary>The outcome of an approve or reject request.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why, for the caller.</param>
/// <param name="Decision">The decision after the request, when there is one.</param>
public sealed record ApprovalResult(ApprovalOutcome Outcome, string Message, Decision? Decision = null);

/// <summary>What an approve or reject request did.</summary>
public enum ApprovalOutcome
{
    /// <summary>Done.</summary>
    Done,

    /// <summary>No such incident, or nothing waits for approval on it.</summary>
    NotFound,

    /// <summary>The request conflicts with the decision's state (expired, already decided).</summary>
    Conflict,

    /// <summary>The caller is not among the playbook's approvers.</summary>
    Forbidden,

    /// <summary>The request itself is incomplete (a rejection without a reason).</summary>
    Invalid,
}
