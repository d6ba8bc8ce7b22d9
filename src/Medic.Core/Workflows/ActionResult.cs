using System.Text.Json.Nodes;

namespace Medic.Core.Workflows;

/// <summary>What an action provider did.</summary>
/// <param name="Succeeded">Whether the action took effect.</param>
/// <param name="Output">What it returned (a Kubernetes object, a response body, ...).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Retryable">Whether trying again may succeed (a timeout, a 429) or cannot (a 404, bad parameters).</param>
/// <param name="Log">What it did, one line each.</param>
public sealed record ActionResult(bool Succeeded, JsonNode? Output, string? Error, bool Retryable, IReadOnlyList<string> Log)
{
    /// <summary>A success.</summary>
    public static ActionResult Ok(JsonNode? output, params IReadOnlyList<string> log) => new(true, output, null, false, log);

    /// <summary>A failure that trying again cannot fix.</summary>
    public static ActionResult Fail(string error, params IReadOnlyList<string> log) => new(false, null, error, false, log);

    /// <summary>A failure that may pass if tried again.</summary>
    public static ActionResult Transient(string error, params IReadOnlyList<string> log) => new(false, null, error, true, log);
}
