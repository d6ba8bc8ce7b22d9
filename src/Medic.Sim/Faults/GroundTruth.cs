namespace Medic.Sim.Faults;

/// <summary>The true root cause of an injected fault, to score a diagnosis against.</summary>
/// <param name="Kind"><c>service</c> or <c>node</c>.</param>
/// <param name="Name">The service or node.</param>
/// <param name="Detail">What exactly (the leaking pod, the bad version, ...).</param>
public sealed record GroundTruth(string Kind, string Name, string Detail);
