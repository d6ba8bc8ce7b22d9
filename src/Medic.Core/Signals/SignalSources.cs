namespace Medic.Core.Signals;

/// <summary>The values of <see cref="Signal.Source"/>.</summary>
public static class SignalSources
{
    /// <summary>The metric detectors.</summary>
    public const string Metrics = "metrics";

    /// <summary>Kubernetes events.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>Log templates and their rates.</summary>
    public const string Logs = "logs";
}
