namespace Medic.Core.Logs.Parsing;

/// <summary>How <see cref="LogParser"/> groups messages.</summary>
public sealed record LogParserOptions
{
    /// <summary>Depth of the prefix tree, counted as Drain counts it (depth 4 routes on the first token). Default 4.</summary>
    public int Depth { get; init; } = 4;

    /// <summary>
    /// Share of the comparable positions that must hold equal tokens for a message to join a
    /// template. A position where both hold a variable, or where the template holds a bare
    /// <c>&lt;*&gt;</c>, is not comparable; <c>x=&lt;*&gt;</c> against <c>x=bob</c> counts as
    /// different. Default 0.7.
    /// </summary>
    public double SimilarityThreshold { get; init; } = 0.7;

    /// <summary>
    /// Masked messages remembered with their template, so a repeat skips the tree search; when
    /// full, the memory starts over. Default 20,000; 0 turns it off.
    /// </summary>
    public int RememberedMessages { get; init; } = 20_000;

    /// <summary>
    /// Most templates kept; past it, the least recently used tenth is forgotten (a message like
    /// theirs starts a new template). Default 20,000.
    /// </summary>
    public int MaxTemplates { get; init; } = 20_000;

    /// <summary>
    /// A position whose words took at most this many distinct values, each seen at least twice, is
    /// an enumeration (a state, a mode) rather than a variable: messages with different values get
    /// different templates. Default 3; 0 turns it off.
    /// </summary>
    public int EnumerationLimit { get; init; } = 3;

    /// <summary>Characters that separate tokens besides whitespace (e.g. <c>,;</c> for comma-separated fields). Default none.</summary>
    public string? Delimiters { get; init; }
}
