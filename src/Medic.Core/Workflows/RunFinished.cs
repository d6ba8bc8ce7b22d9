using Medic.Core.Bus;

namespace Medic.Core.Workflows;

/// <summary>A run finished; verification starts watching.</summary>
public sealed record RunFinished(Run Run) : IMessage;
