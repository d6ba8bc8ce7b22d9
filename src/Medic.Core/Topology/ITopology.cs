namespace Medic.Core.Topology;

/// <summary>
/// What Medic knows of how the estate fits together: which service calls which, and which
/// services run on which node. A read model shared by correlation and diagnosis.
/// </summary>
public interface ITopology
{
    /// <summary>Services that <paramref name="service"/> calls.</summary>
    IReadOnlyCollection<string> Callees(string service);

    /// <summary>Services that call <paramref name="service"/>.</summary>
    IReadOnlyCollection<string> Callers(string service);

    /// <summary>Services with a pod on <paramref name="node"/> right now.</summary>
    IReadOnlyCollection<string> ServicesOnNode(string node);

    /// <summary>Whether <paramref name="service"/> runs in the estate (a pod of it is known), as opposed to a third party only its callers see.</summary>
    bool Runs(string service);
}
