namespace Medic.Sim.Cluster;

/// <summary>What the simulator needs to know of a pod.</summary>
/// <param name="Name">The pod.</param>
/// <param name="Service">Its service.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="Image">Its container image.</param>
/// <param name="Config">The configuration revision its template carries ("" for none).</param>
/// <param name="Uid">Its uid: a StatefulSet's replacement pod has the same name and a new uid.</param>
public sealed record PodView(string Name, string Service, string Node, string Image, string Config = "", string Uid = "")
{
    /// <summary>The version part of the image (after the colon).</summary>
    public string Version => Image[(Image.LastIndexOf(':') + 1)..];
}
