using Medic.Core.Bus;

namespace Medic.Core.Stages;

/// <summary>A timer tick, posted locally into a timed stage's inbox; never published.</summary>
public sealed record StageTick(DateTimeOffset At) : IMessage;
