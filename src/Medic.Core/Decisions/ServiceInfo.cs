namespace Medic.Core.Decisions;

/// <summary>What is known of a service beyond its telemetry: its namespace, workload kind and tags.</summary>
/// <param name="Name">The service.</param>
/// <param name="Namespace">Its Kubernetes namespace.</param>
/// <param name="WorkloadKind"><c>Deployment</c> or <c>StatefulSet</c>.</param>
/// <param name="Tags">Tags such as <c>stateful</c> or <c>tier:frontend</c>.</param>
public sealed record ServiceInfo(string Name, string? Namespace, string WorkloadKind, IReadOnlyList<string> Tags)
{
    /// <summary>The replicas the workload asks for, when known.</summary>
    public int? Replicas { get; init; }
}
