namespace Medic.Core.Incidents;

/// <summary>One line of an incident's story: what happened, when, and which stage said so.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="At">When it happened.</param>
/// <param name="Stage">The stage that recorded it.</param>
/// <param name="Kind">What kind of entry: <c>signal</c>, <c>diagnosis</c>, <c>decision</c>, <c>action</c>, ...</param>
/// <param name="Message">One line for people.</param>
public sealed record TimelineEntry(string IncidentId, DateTimeOffset At, string Stage, string Kind, string Message)
{
    /// <summary>Structured detail, as JSON, when there is any.</summary>
    public string? DataJson { get; init; }
}
