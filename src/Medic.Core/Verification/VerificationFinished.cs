using Medic.Core.Bus;

namespace Medic.Core.Verification;

/// <summary>Verification of a run concluded.</summary>
public sealed record VerificationFinished(Outcome Outcome) : IMessage;
