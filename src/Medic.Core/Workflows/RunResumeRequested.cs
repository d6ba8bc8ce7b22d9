using Medic.Core.Bus;

namespace Medic.Core.Workflows;

/// <summary>A run found in flight after a restart, safe to resume.</summary>
public sealed record RunResumeRequested(string RunId) : IMessage;
