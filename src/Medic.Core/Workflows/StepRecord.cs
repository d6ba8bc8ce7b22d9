using System.Text.Json.Nodes;

namespace Medic.Core.Workflows;

/// <summary>One step of a run: its rendered parameters, output, timings and log.</summary>
public sealed record StepRecord
{
    /// <summary>The step's name.</summary>
    public required string Name { get; init; }

    /// <summary>The action type.</summary>
    public required string Type { get; init; }

    /// <summary>Where it stands.</summary>
    public StepState State { get; init; } = StepState.Pending;

    /// <summary>The attempt in progress or last made, from 1.</summary>
    public int Attempt { get; init; }

    /// <summary>When that attempt began; a resumed attempt keeps it, so providers can recognise their own effect.</summary>
    public DateTimeOffset? AttemptStartedAt { get; init; }

    /// <summary>The key a provider uses to recognise a repeat of this step: run id, step and attempt.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The parameters after rendering.</summary>
    public JsonNode? Params { get; init; }

    /// <summary>What the provider returned.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>Why it failed or was skipped.</summary>
    public string? Error { get; init; }

    /// <summary>What the provider said it did, one line each.</summary>
    public IReadOnlyList<string> Log { get; init; } = [];
}
