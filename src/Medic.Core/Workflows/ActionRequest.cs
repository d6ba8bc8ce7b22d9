namespace Medic.Core.Workflows;

/// <summary>One call of an action provider.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step's name.</param>
/// <param name="IdempotencyKey">The same for a repeat of the same attempt: providers use it so an action never happens twice.</param>
/// <param name="Params">The rendered parameters.</param>
public sealed record ActionRequest(string RunId, string Step, string IdempotencyKey, IReadOnlyDictionary<string, object?> Params)
{
    /// <summary>
    /// When this attempt was first made. It stays the same when a crashed run resumes the attempt,
    /// so a provider can tell its own earlier effect (a restart stamped with this time, say).
    /// </summary>
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The incident the run is for.</summary>
    public string IncidentId { get; init; } = "";
}
