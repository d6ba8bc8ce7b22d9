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

    /// <summary>A feature flag turned on or off.</summary>
    public const string FeatureFlag = "feature_flag";

    /// <summary>Infrastructure: a node pool, a network rule, a database parameter.</summary>
    public const string Infra = "infra";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Deploy, Config, Rollback, Restart, Scale, FeatureFlag, Infra };
}
