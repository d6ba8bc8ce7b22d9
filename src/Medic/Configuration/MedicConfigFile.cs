namespace Medic.Configuration;

// The shape of medic.yaml, as written (snake_case keys, text for times and levels). MedicConfig
// turns it into checked options; unknown keys are errors, so a misspelt setting is never ignored.
#pragma warning disable CA1812 // Instantiated by the YAML deserializer.
#pragma warning disable CA2227 // The deserializer sets collections.
#pragma warning disable CA1056 // URLs are text in a config file.

internal sealed class MedicConfigFile
{
    public string? Environment { get; set; }

    public string? Data { get; set; }

    public string? Urls { get; set; }

    public PlaybooksSection? Playbooks { get; set; }

    public PolicySection? Policy { get; set; }

    public KubernetesSection? Kubernetes { get; set; }

    public ActionsSection? Actions { get; set; }

    public NotifiersSection? Notifiers { get; set; }

    public IngestSection? Ingest { get; set; }

    public SeriesSection? Series { get; set; }

    public DetectionSection? Detection { get; set; }

    public CorrelationSection? Correlation { get; set; }

    public AuthSection? Auth { get; set; }
}

internal sealed class AuthSection
{
    public List<UserSection>? Users { get; set; }

    public List<TokenSection>? Tokens { get; set; }

    public OidcSection? Oidc { get; set; }

    public string? SessionTimeout { get; set; }
}

internal sealed class OidcSection
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? RoleClaim { get; set; }

    public string? NameClaim { get; set; }

    public Dictionary<string, string>? Roles { get; set; }
}

internal sealed class UserSection
{
    public string? Name { get; set; }

    public string? PasswordHash { get; set; }

    public string? Role { get; set; }
}

internal sealed class TokenSection
{
    public string? Name { get; set; }

    public string? Sha256 { get; set; }

    public string? Role { get; set; }
}

internal sealed class CorrelationSection
{
    public string? Window { get; set; }

    public string? GroupWait { get; set; }

    public string? GroupInterval { get; set; }

    public List<string>? GroupBy { get; set; }

    public List<string>? MatchLabels { get; set; }

    public int? SymptomDepth { get; set; }

    public string? SettleWindow { get; set; }
}

internal sealed class DetectionSection
{
    public List<MetricGroupSection>? Groups { get; set; }

    public MultivariateSection? Multivariate { get; set; }
}

internal sealed class MultivariateSection
{
    public List<string>? Metrics { get; set; }

    public double? Threshold { get; set; }

    public int? MinDuration { get; set; }
}

internal sealed class MetricGroupSection
{
    public string? Name { get; set; }

    public string? Select { get; set; }

    public string? Model { get; set; }

    public string? Period { get; set; }

    public double? Sensitivity { get; set; }

    public int? MinDuration { get; set; }

    public int? Recovery { get; set; }

    public List<int>? Order { get; set; }

    public int? SeasonalDifferences { get; set; }
}

internal sealed class IngestSection
{
    public string? OtlpGrpc { get; set; }

    public int? MaxBodyBytes { get; set; }

    public int? MaxDecompressedBytes { get; set; }

    public int? MaxLabelsPerSeries { get; set; }

    public int? MaxLabelNameBytes { get; set; }

    public int? MaxLabelValueBytes { get; set; }

    public int? MaxBatchesInFlight { get; set; }

    public int? MaxRequestsPerSecond { get; set; }
}

internal sealed class SeriesSection
{
    public string? Retention { get; set; }

    public int? MaxSeries { get; set; }

    public int? MaxSeriesPerSource { get; set; }
}

internal sealed class KubernetesSection
{
    public string? Kubeconfig { get; set; }

    public string? Context { get; set; }

    public bool? InCluster { get; set; }

    public bool? WatchEvents { get; set; }
}

internal sealed class ActionsSection
{
    public HttpSection? Http { get; set; }

    public ShellSection? Shell { get; set; }

    public AnsibleSection? Ansible { get; set; }

    public ResilienceSection? Resilience { get; set; }
}

internal sealed class HttpSection
{
    public List<string>? Allow { get; set; }

    public Dictionary<string, string>? Secrets { get; set; }

    public int? MaxResponseBytes { get; set; }
}

internal sealed class ShellSection
{
    public List<string>? Allow { get; set; }

    public List<string>? EnvAllow { get; set; }

    public string? WorkingDir { get; set; }

    public int? MaxOutputBytes { get; set; }
}

internal sealed class AnsibleSection
{
    public string? Directory { get; set; }

    public string? Program { get; set; }

    public List<string>? EnvAllow { get; set; }
}

internal sealed class ResilienceSection
{
    public int? MaxConcurrentPerTarget { get; set; }

    public int? QueuePerTarget { get; set; }

    public double? FailureRatio { get; set; }

    public string? BreakDuration { get; set; }
}

internal sealed class NotifiersSection
{
    public SlackSection? Slack { get; set; }

    public PagerDutySection? Pagerduty { get; set; }

    public List<WebhookSection>? Webhooks { get; set; }
}

internal sealed class SlackSection
{
    public string? WebhookUrl { get; set; }

    public string? Token { get; set; }

    public string? Channel { get; set; }

    public string? ApiUrl { get; set; }

    public string? SigningSecret { get; set; }

    public string? TeamId { get; set; }

    public Dictionary<string, string>? Users { get; set; }
}

internal sealed class PagerDutySection
{
    public string? RoutingKey { get; set; }

    public string? EventsUrl { get; set; }
}

internal sealed class WebhookSection
{
    public string? Name { get; set; }

    public string? Url { get; set; }

    public string? Secret { get; set; }
}

internal sealed class PlaybooksSection
{
    public string? Directory { get; set; }

    public GitSection? Git { get; set; }

    public string? ReloadInterval { get; set; }
}

internal sealed class GitSection
{
    public string? Url { get; set; }

    public string? Branch { get; set; }

    public string? Path { get; set; }

    public string? Checkout { get; set; }
}

internal sealed class PolicySection
{
    public string? DefaultLevel { get; set; }

    public string? MaxLevel { get; set; }

    public double? ConfidenceThreshold { get; set; }

    public string? ApprovalTimeout { get; set; }

    public string? EscalateAfter { get; set; }

    public string? PageChannel { get; set; }

    public bool? DryRun { get; set; }

    public string? KillSwitchFile { get; set; }

    public List<LevelSection>? Levels { get; set; }

    public Dictionary<string, WindowSection>? Windows { get; set; }

    public List<string>? L2Windows { get; set; }

    public RiskSection? Risk { get; set; }

    public BlastRadiusSection? BlastRadius { get; set; }

    public List<FreezeSection>? Freezes { get; set; }

    public Dictionary<string, List<string>>? Roles { get; set; }
}

internal sealed class LevelSection
{
    public string? Environment { get; set; }

    public string? Namespace { get; set; }

    public string? Service { get; set; }

    public string? Playbook { get; set; }

    public string? Level { get; set; }

    public string? Max { get; set; }
}

internal sealed class WindowSection
{
    public string? TimeZone { get; set; }

    public List<string>? Days { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    public List<string>? Holidays { get; set; }
}

internal sealed class RiskSection
{
    public Dictionary<string, string>? Actions { get; set; }

    public string? Default { get; set; }

    public Dictionary<string, string>? MaxPerLevel { get; set; }

    public string? TwoPersonFrom { get; set; }
}

internal sealed class BlastRadiusSection
{
    public int? MaxConcurrentRunsPerService { get; set; }

    public int? MaxConcurrentRunsPerNamespace { get; set; }

    public int? MaxConcurrentRunsPerCluster { get; set; }

    public int? MaxActionsPerHourPerTarget { get; set; }

    public int? MaxActionsPerHourGlobal { get; set; }

    public double? MaxReplicaFraction { get; set; }

    public bool? OneClusterAtATime { get; set; }
}

internal sealed class FreezeSection
{
    public string? From { get; set; }

    public string? To { get; set; }

    public string? Reason { get; set; }

    public string? Environment { get; set; }

    public string? Namespace { get; set; }

    public string? Service { get; set; }
}
