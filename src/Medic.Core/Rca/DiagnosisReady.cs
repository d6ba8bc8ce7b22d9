using Medic.Core.Bus;

namespace Medic.Core.Rca;

/// <summary>A (new or revised) diagnosis of an incident: hypotheses, most likely first.</summary>
public sealed record DiagnosisReady(string IncidentId, IReadOnlyList<Hypothesis> Hypotheses, DateTimeOffset At) : IMessage;
