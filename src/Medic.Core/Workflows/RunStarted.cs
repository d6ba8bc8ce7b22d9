using Medic.Core.Bus;

namespace Medic.Core.Workflows;

/// <summary>A run was recorded and its first steps are about to start.</summary>
public sealed record RunStarted(Run Run) : IMessage;
