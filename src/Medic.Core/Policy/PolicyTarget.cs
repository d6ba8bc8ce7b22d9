namespace Medic.Core.Policy;

/// <summary>What a decision acts on, for the rails that are scoped (levels, freezes, blast radius).</summary>
/// <param name="Service">The service, when there is one.</param>
/// <param name="Namespace">The namespace, when known.</param>
/// <param name="Node">The node, for node actions.</param>
/// <param name="Cluster">The cluster. Default <c>default</c>.</param>
public sealed record PolicyTarget(string? Service, string? Namespace, string? Node = null, string Cluster = "default")
{
    /// <summary>The key rate limits count by: the service, else the node.</summary>
    public string Key => Service ?? (Node is null ? "estate" : $"node/{Node}");

    /// <summary>A short description.</summary>
    public override string ToString() => Service is not null ? $"service {Namespace}/{Service}" : Node is not null ? $"node {Node}" : "the estate";
}
