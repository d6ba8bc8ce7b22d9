using Medic.Core.Bus;

namespace Medic.Core.Decisions;

/// <summary>An approved decision's playbook should run now.</summary>
public sealed record ExecutionRequested(string DecisionId) : IMessage;
