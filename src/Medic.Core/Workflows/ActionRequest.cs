namespace Medic.Core.Workflows;

/// <summary>One call of an action provider.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step's name.</param>
/// <param name="IdempotencyKey">The same for a repeat of the same attempt: providers use it so an action never happens twice.</param>
/// <param name="Params">The rendered parameters.</param>
public sealed record ActionRequest(string RunId, string Step, string IdempotencyKey, IReadOnlyDictionary<string, object?> Params);
