namespace Medic.Adapters.Actions.Shell;

/// <summary>What shell actions may do (<c>actions.shell</c> in medic.yaml). With no allowed programs, shell actions are off.</summary>
public sealed class ShellActionOptions
{
    /// <summary>Programs a step may run, by absolute path. Default: none (shell actions refused).</summary>
    public IReadOnlyList<string> Allow { get; set; } = [];

    /// <summary>Environment variables passed through from Medic's own environment. Default PATH, HOME, LANG.</summary>
    public IReadOnlyList<string> EnvironmentAllow { get; set; } = ["PATH", "HOME", "LANG"];

    /// <summary>Where commands run unless a step names a directory inside it. Default: the working directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Most output kept per stream; the rest is dropped from the front. Default 64 KiB.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;
}
