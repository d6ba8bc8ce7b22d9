namespace Medic.Sim.Faults;

/// <summary>The true root cause of an injected fault, to score a diagnosis against.</summary>
/// <param name="Kind"><c>service</c>, <c>node</c>, <c>dependency</c> (outside the estate) or <c>network</c>.</param>
/// <param name="Name">The service, node, dependency or link.</param>
/// <param name="Detail">What exactly (the leaking pod, the bad version, ...).</param>
public sealed record GroundTruth(string Kind, string Name, string Detail)
{
    /// <summary>For a root cause outside the estate's services and nodes: the services its symptoms show on.</summary>
    public IReadOnlyList<string> Affected { get; init; } = [];
}
