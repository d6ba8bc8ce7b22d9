using Medic.Adapters.Actions;
using Medic.Adapters.Actions.Ansible;
using Medic.Adapters.Actions.Http;
using Medic.Adapters.Actions.Shell;
using Medic.Adapters.Ingest;
using Medic.Core.Detection;
using Medic.Core.Incidents;
using Medic.Adapters.Kubernetes;
using Medic.Adapters.Notifications;
using Medic.Adapters.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Telemetry.Storage;

namespace Medic.Composition;

/// <summary>Where Medic keeps its state and listens.</summary>
public sealed class MedicOptions
{
    /// <summary>The SQLite database file. Default <c>data/medic.db</c>.</summary>
    public string DataPath { get; set; } = Path.Combine("data", "medic.db");

    /// <summary>The directory of playbook YAML files. Default <c>playbooks</c>.</summary>
    public string PlaybooksDirectory { get; set; } = "playbooks";

    /// <summary>The addresses the HTTP server listens on. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Where OTLP/gRPC listens (HTTP/2 without TLS); empty turns it off. Default <c>http://127.0.0.1:4317</c>.</summary>
    public string OtlpGrpcUrl { get; set; } = "http://127.0.0.1:4317";

    /// <summary>Playbooks from Git instead of <see cref="PlaybooksDirectory"/>, when set.</summary>
    public GitPlaybookOptions? Git { get; set; }

    /// <summary>How often playbooks are reloaded from their source; zero loads once. Default 30 seconds.</summary>
    public TimeSpan PlaybookReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The safety policy.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>A file whose existence engages the global kill switch. Default <c>KILLSWITCH</c> beside the database.</summary>
    public string? KillSwitchFile { get; set; }

    /// <summary>The cluster the Kubernetes actions act on. Default: in-cluster when running in a pod, else none.</summary>
    public KubernetesOptions Kubernetes { get; set; } = new();

    /// <summary>The <c>http</c> action: allowed destinations and signing secrets.</summary>
    public HttpActionOptions Http { get; set; } = new();

    /// <summary>The <c>shell</c> action: allowed programs, environment, working directory.</summary>
    public ShellActionOptions Shell { get; set; } = new();

    /// <summary>The <c>ansible</c> action: where playbooks live and which program runs them.</summary>
    public AnsibleActionOptions Ansible { get; set; } = new();

    /// <summary>Bulkheads and circuit breakers around every action provider.</summary>
    public ActionResilienceOptions Resilience { get; set; } = new();

    /// <summary>Slack, when configured.</summary>
    public SlackOptions? Slack { get; set; }

    /// <summary>PagerDuty, when configured.</summary>
    public PagerDutyOptions? PagerDuty { get; set; }

    /// <summary>Generic webhook channels, each under its own name.</summary>
    public IReadOnlyList<WebhookNotifierOptions> Webhooks { get; set; } = [];

    /// <summary>Limits of the ingest endpoints.</summary>
    public IngestLimits Ingest { get; set; } = new();

    /// <summary>Retention and cardinality of the recent series store.</summary>
    public SeriesStoreOptions Series { get; set; } = new();

    /// <summary>Metric detection: the metric groups and their models.</summary>
    public DetectionOptions Detection { get; set; } = new();

    /// <summary>How signals are grouped into incidents.</summary>
    public CorrelationOptions Correlation { get; set; } = new();

    /// <summary>Who may use Medic: people who sign in, machines' tokens; nobody configured leaves Medic open.</summary>
    public Web.Auth.AuthOptions Auth { get; set; } = new();

    /// <summary>Learning which playbook works when several match.</summary>
    public Medic.Core.Learning.LearningOptions Learning { get; set; } = new();

    /// <summary>The least level of log messages written to the console. Default Information.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
