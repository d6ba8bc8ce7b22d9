namespace Medic.Sim.Faults;

/// <summary>The true root cause of an injected fault, to score a diagnosis against.</summary>
/// <param name="Kind"><c>service</c>, <c>node</c>, <c>dependency</c> (outside the estate) or <c>network</c>.</param>
/// <param name="Name">The service, node, dependency or link.</param>
/// <param name="Detail">What exactly (the leaking pod, the bad version, ...).</param>
public sealed record GroundTruth(string Kind, string Name, string Detail)
{
    /// <summary>Services its symptoms start on besides the root cause itself (its callers are affected in turn): a dependency's caller, the database behind a failed cache, the services on a noisy node.</summary>
    public IReadOnlyList<string> Affected { get; init; } = [];
}
