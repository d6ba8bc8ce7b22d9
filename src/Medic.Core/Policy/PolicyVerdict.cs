using Medic.Core.Decisions;

namespace Medic.Core.Policy;

/// <summary>What policy allows for a matched playbook.</summary>
public sealed record PolicyVerdict(AutomationLevel Level, DecisionStatus Status, string Reason);
