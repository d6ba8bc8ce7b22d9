using Medic.Core.Bus;

namespace Medic.Core.Incidents;

/// <summary>Correlation opened an incident or added a signal to one.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="Opened">True for a new incident, false when a signal joined an existing one.</param>
public sealed record IncidentChanged(string IncidentId, bool Opened) : IMessage;
