namespace Medic.Sim.Faults;

/// <summary>A fault that was injected, when, and its ground truth.</summary>
/// <param name="Kind">One of <see cref="FaultKinds"/>.</param>
/// <param name="InjectedAt">Simulated time of injection.</param>
/// <param name="Truth">The root cause.</param>
/// <param name="Description">What was done, for people.</param>
public sealed record InjectedFault(string Kind, DateTimeOffset InjectedAt, GroundTruth Truth, string Description);
