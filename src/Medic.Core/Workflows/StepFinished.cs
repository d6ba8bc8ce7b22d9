using Medic.Core.Bus;

namespace Medic.Core.Workflows;

/// <summary>A step of a run finished (succeeded, failed, or was skipped).</summary>
public sealed record StepFinished(string RunId, string IncidentId, StepRecord Step) : IMessage;
