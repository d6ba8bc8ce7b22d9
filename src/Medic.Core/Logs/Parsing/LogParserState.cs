namespace Medic.Core.Logs.Parsing;

/// <summary>Everything a <see cref="LogParser"/> learned, to persist and restore it with its template ids.</summary>
/// <param name="NextId">The id the next new template gets.</param>
/// <param name="Tick">The parser's clock of additions (for least-recently-used eviction).</param>
/// <param name="Templates">The templates.</param>
public sealed record LogParserState(int NextId, long Tick, IReadOnlyList<LogTemplateState> Templates)
{
    /// <summary>The tree depth the routes were made for.</summary>
    public int Depth { get; init; }
}

/// <summary>One template as persisted.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Tokens">Its tokens.</param>
/// <param name="Route">The constant tokens it is filed under in the tree.</param>
/// <param name="Size">Its message count.</param>
/// <param name="LastUsed">The tick of its last message.</param>
/// <param name="Positions">The values counted at each position.</param>
public sealed record LogTemplateState(int Id, IReadOnlyList<string> Tokens, IReadOnlyList<string> Route, long Size, long LastUsed, IReadOnlyList<PositionState> Positions);

/// <summary>The values counted at one position while they were few.</summary>
/// <param name="Values">The values.</param>
/// <param name="Counts">Their counts.</param>
/// <param name="Many">Whether more values came than are counted.</param>
public sealed record PositionState(IReadOnlyList<string> Values, IReadOnlyList<long> Counts, bool Many);
