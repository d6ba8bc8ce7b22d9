namespace Medic.Sim.Cluster;

/// <summary>What the simulator needs to know of a pod.</summary>
/// <param name="Name">The pod.</param>
/// <param name="Service">Its service.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="Image">Its container image.</param>
/// <param name="Config">The configuration revision its template carries ("" for none).</param>
public sealed record PodView(string Name, string Service, string Node, string Image, string Config = "")
{
    /// <summary>The version part of the image (after the colon).</summary>
    public string Version => Image[(Image.LastIndexOf(':') + 1)..];
}
