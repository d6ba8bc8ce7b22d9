namespace Medic.Sim.Estate;

/// <summary>The estates built into Medic from <c>sim/estates</c>: the default (sixteen components on five nodes in two zones) and the smaller shop.</summary>
public static class DefaultEstate
{
    /// <summary>The default estate, <c>sim/estates/default.yaml</c>, which the demo runs.</summary>
    public static EstateSpec Create() => Builtin("default");

    /// <summary>A built-in estate by name: <c>default</c> or <c>shop</c>.</summary>
    public static EstateSpec Builtin(string name)
    {
        var resource = $"Medic.Sim.estates.{name}.yaml";
        using var stream = typeof(DefaultEstate).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"there is no built-in estate '{name}'; the built-in ones are default and shop", nameof(name));
        using var reader = new StreamReader(stream);
        return EstateFile.Parse(reader.ReadToEnd(), $"sim/estates/{name}.yaml");
    }
}
