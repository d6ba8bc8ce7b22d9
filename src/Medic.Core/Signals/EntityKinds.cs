namespace Medic.Core.Signals;

/// <summary>The kinds of entity Medic reasons about.</summary>
public static class EntityKinds
{
    /// <summary>A service (a Deployment or StatefulSet and its pods).</summary>
    public const string Service = "service";

    /// <summary>A single pod.</summary>
    public const string Pod = "pod";

    /// <summary>A Kubernetes node.</summary>
    public const string Node = "node";

    /// <summary>A series with no better entity.</summary>
    public const string Series = "series";

    /// <summary>Something outside the estate it depends on: a payment provider, a SaaS API.</summary>
    public const string Dependency = "dependency";

    /// <summary>The network between places, e.g. <c>zone-a~zone-b</c>.</summary>
    public const string Network = "network";
}
