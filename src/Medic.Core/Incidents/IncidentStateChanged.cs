using Medic.Core.Bus;

namespace Medic.Core.Incidents;

/// <summary>An incident moved to another state of its lifecycle.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="State">Its new state.</param>
/// <param name="Reason">Why, in one line.</param>
public sealed record IncidentStateChanged(string IncidentId, IncidentState State, string Reason) : IMessage;
