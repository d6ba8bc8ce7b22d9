namespace Medic.Core.Policy;

/// <summary>The ways besides the API to pull the brake, for when the API itself is not reachable.</summary>
public sealed class KillSwitchOptions
{
    /// <summary>The environment variable that engages the global kill switch when set to 1, true, on or yes.</summary>
    public const string EnvironmentVariable = "MEDIC_KILL_SWITCH";

    /// <summary>A file whose existence engages the global kill switch; its first line is the reason. Null: no file.</summary>
    public string? File { get; set; }

    /// <summary>Reads an environment variable (replaceable in tests). Default: the process environment.</summary>
    public Func<string, string?> ReadEnvironment { get; set; } = Environment.GetEnvironmentVariable;
}
