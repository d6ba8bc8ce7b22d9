using Medic.Core.Bus;

namespace Medic.Core.Incidents;

/// <summary>Silences were created or expired: correlation rereads them now rather than at its next tick.</summary>
public sealed record SilencesChanged : IMessage;

/// <summary>Someone asked for incidents to be merged into one.</summary>
/// <param name="IntoIncidentId">The incident that takes the others' signals.</param>
/// <param name="IncidentIds">The incidents to merge into it.</param>
/// <param name="Actor">Who asked.</param>
public sealed record IncidentsMergeRequested(string IntoIncidentId, IReadOnlyList<string> IncidentIds, string Actor) : IMessage;

/// <summary>Someone asked for some of an incident's signals to become an incident of their own.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="SignalIds">The signals to split off.</param>
/// <param name="Actor">Who asked.</param>
public sealed record IncidentSplitRequested(string IncidentId, IReadOnlyList<string> SignalIds, string Actor) : IMessage;
