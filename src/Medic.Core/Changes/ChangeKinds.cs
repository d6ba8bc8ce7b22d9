namespace Medic.Core.Changes;

/// <summary>The values of <see cref="ChangeEvent.Kind"/>.</summary>
public static class ChangeKinds
{
    /// <summary>A new version rolled out.</summary>
    public const string Deploy = "deploy";

    /// <summary>A configuration change.</summary>
    public const string Config = "config";

    /// <summary>A rollback to an earlier version.</summary>
    public const string Rollback = "rollback";

    /// <summary>A restart of every pod of a workload.</summary>
    public const string Restart = "restart";

    /// <summary>A change of replica count.</summary>
    public const string Scale = "scale";
}
