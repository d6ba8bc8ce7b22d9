namespace Medic.Sim.Estate;

/// <summary>The estate the demo runs: <c>sim/estates/shop.yaml</c>, a small web shop on three nodes in two zones, built into Medic.</summary>
public static class DefaultEstate
{
    private const string Resource = "Medic.Sim.estates.shop.yaml";

    /// <summary>Reads the default estate.</summary>
    public static EstateSpec Create()
    {
        using var stream = typeof(DefaultEstate).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the default estate ({Resource}) is missing from the build");
        using var reader = new StreamReader(stream);
        return EstateFile.Parse(reader.ReadToEnd(), "sim/estates/shop.yaml");
    }
}
