namespace Medic.Core.Telemetry;

/// <summary>The label names Medic gives meaning to. Ingest maps source attributes onto these.</summary>
public static class Labels
{
    /// <summary>The service (workload) a series belongs to.</summary>
    public const string Service = "service";

    /// <summary>The service on the other end of a call, on edge metrics (caller side).</summary>
    public const string PeerService = "peer_service";

    /// <summary>The pod.</summary>
    public const string Pod = "pod";

    /// <summary>The node a pod runs on, or the node a node metric describes.</summary>
    public const string Node = "node";

    /// <summary>The Kubernetes namespace.</summary>
    public const string Namespace = "namespace";

    /// <summary>The availability zone.</summary>
    public const string Zone = "zone";
}
