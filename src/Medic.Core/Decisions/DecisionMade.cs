using Medic.Core.Bus;

namespace Medic.Core.Decisions;

/// <summary>A decision was made or changed (approved, rejected, expired).</summary>
public sealed record DecisionMade(Decision Decision) : IMessage;
