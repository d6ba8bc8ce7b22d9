using Medic.Adapters.Actions;
using Medic.Adapters.Actions.Ansible;
using Medic.Adapters.Actions.Http;
using Medic.Adapters.Actions.Shell;
using Medic.Adapters.Bus;
using Medic.Adapters.Hosting;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.Otlp;
using Medic.Adapters.Ingest.RemoteWrite;
using Medic.Adapters.Kubernetes;
using Medic.Adapters.Notifications;
using Medic.Adapters.Playbooks;
using Medic.Adapters.Storage.Sqlite;
using Medic.Core.Alerts;
using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Decisions;
using Medic.Core.Detection;
using Medic.Core.Events;
using Medic.Core.Incidents;
using Medic.Core.Learning;
using Medic.Core.Learning.Drift;
using Medic.Core.Logs.Mining;
using Medic.Core.Logs.Parsing;
using Medic.Core.Logs.Signals;
using Medic.Core.Notifications;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Telemetry.Storage;
using Medic.Core.Topology;
using Medic.Core.Traces;
using Medic.Core.Verification;
using Medic.Core.Workflows;
using Medic.Core.Workflows.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Medic.Composition;

/// <summary>The composition root: every port bound to its implementation, every stage hosted.</summary>
public static class MedicServices
{
    /// <summary>The action types this build has providers for, with their parameter checks; playbooks naming others are rejected.</summary>
    public static IReadOnlyDictionary<string, ParameterCheck> ActionTypes { get; } = new Dictionary<string, ParameterCheck>(StringComparer.Ordinal)
    {
        [KubernetesCallProvider.ActionType] = KubernetesCallProvider.Shape,
        [ShellActionProvider.ActionType] = ShellActionProvider.Shape,
        [HttpActionProvider.ActionType] = HttpActionProvider.Shape,
        [AnsibleActionProvider.ActionType] = AnsibleActionProvider.Shape,
        [NotifyActionProvider.ActionType] = NotifyActionProvider.Shape,
        [Sim.Actions.SimActionProvider.ActionType] = Sim.Actions.SimActionProvider.Shape,
    };

    /// <summary>The key of the HTTP client notifiers (and Slack replies) use.</summary>
    public const string NotificationsHttpClient = "notifications";

    /// <summary>
    /// Registers Medic. Stages are hosted services, registered downstream first: the host starts
    /// them in that order (consumers before producers) and stops them in reverse (producers first),
    /// so every stage drains into a stage that is still running.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Paths and addresses.</param>
    /// <param name="sinks">Registers extra sink stages (the demo's narrator) before the loop's own.</param>
    public static IServiceCollection AddMedic(this IServiceCollection services, MedicOptions options, Action<IServiceCollection>? sinks = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new KubernetesConnection(KubernetesConnection.Create(options.Kubernetes)));
        services.TryAddSingleton<IKubernetesApi>(sp => sp.GetRequiredService<KubernetesConnection>().Client is { } client ? new KubernetesClientApi(client) : new NoClusterKubernetesApi());

        services.AddSingleton(new InProcessBusOptions());
        services.AddSingleton<InProcessBus>();
        services.AddSingleton<IBus>(sp => sp.GetRequiredService<InProcessBus>());
        services.AddSingleton<IBusMonitor>(sp => sp.GetRequiredService<InProcessBus>());
        services.AddSingleton(new StageHostOptions());

        services.AddSingleton(new SqliteOptions { Path = options.DataPath });
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        services.AddSingleton<ISignalStore, SqliteSignalStore>();
        services.AddSingleton<IChangeStore, SqliteChangeStore>();
        services.AddSingleton<ISilenceStore, SqliteSilenceStore>();
        services.AddSingleton<IModelVersionStore, SqliteModelVersionStore>();
        services.AddSingleton<ModelRecords>();
        services.AddSingleton<IDecisionStore, SqliteDecisionStore>();
        services.AddSingleton<IRunStore, SqliteRunStore>();
        services.AddSingleton<ISettingsStore, SqliteSettingsStore>();
        services.AddSingleton<IPendingMessageStore, SqlitePendingMessageStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<ILogTemplateStore, SqliteLogTemplateStore>();
        services.AddSingleton<IDetectorStateStore, SqliteDetectorStateStore>();

        services.AddSingleton(options.Ingest);
        services.AddSingleton(options.Series);
        services.AddSingleton<SeriesStore>();
        services.AddSingleton<SeriesResolver>();
        services.AddSingleton<RemoteWriteReader>();
        services.AddSingleton<ExternalAlerts>();
        services.AddSingleton<OtlpMetricsReader>();
        services.AddSingleton(new SpanStore());
        services.AddStage<SeriesRetentionStage>();
        if (options.Kubernetes.WatchEvents)
        {
            services.AddHostedService(sp => new KubernetesWatcher(sp.GetRequiredService<KubernetesConnection>().Client, sp.GetRequiredService<IBus>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KubernetesWatcher>>()));
        }

        services.AddSingleton(options.Detection);
        services.AddSingleton(new LogParserOptions());
        services.AddSingleton(new LogSignalOptions());
        services.AddSingleton(sp => new TemplateMiner(sp.GetRequiredService<LogParserOptions>()));
        services.AddSingleton(options.Correlation);
        services.AddSingleton<SignalRelations>();
        services.TryAddSingleton(new DiagnosisOptions());
        services.AddSingleton(options.Policy);
        services.AddSingleton(new VerificationOptions());
        services.AddSingleton(new KillSwitchOptions
        {
            File = options.KillSwitchFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.DataPath))!, "KILLSWITCH"),
        });

        services.AddSingleton<LearnedTopology>();
        services.AddSingleton(new ServiceGraphOptions());
        services.AddSingleton<ServiceGraph>();
        services.AddSingleton<ITopology>(sp => new CombinedTopology([sp.GetRequiredService<LearnedTopology>(), sp.GetRequiredService<ServiceGraph>()]));
        services.AddSingleton<IServiceCatalog, KubernetesServiceCatalog>();
        AddActions(services, options);
        AddNotifiers(services, options);
        services.AddSingleton(sp => new PlaybookRepository(sp.GetRequiredService<ActionProviders>().Checks));
        services.AddSingleton<IPlaybookSource>(options.Git is { } git ? new GitPlaybookSource(git) : new DirectoryPlaybookSource(options.PlaybooksDirectory));
        services.AddSingleton(new PlaybookReloaderOptions { Interval = options.PlaybookReloadInterval });
        services.AddSingleton<PlaybookReloader>();
        services.AddSingleton<KillSwitch>();
        services.AddSingleton<IncidentLifecycle>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<ActivityLedger>();
        services.AddSingleton(options.Learning);
        services.AddSingleton<PlaybookLearner>();
        services.AddSingleton<DetectorFeedback>();
        services.AddSingleton<CalibrationInUse>();
        services.AddSingleton<TrainingJob>();
        if (options.Detection.Multivariate is not null)
        {
            services.AddSingleton<IDetectorTrainer>(sp => sp.GetRequiredService<DetectionStage>());
        }

        services.AddHostedService<CalibrationRestoreService>();
        services.AddSingleton<DecisionMaker>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<WorkflowRunner>();
        services.AddSingleton<RunRecovery>();

        // Playbooks load before any stage starts, so the first decision sees them; then the runs a
        // previous process left in flight are handed to the executor.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PlaybookReloader>());
        services.AddHostedService<RunRecoveryService>();

        sinks?.Invoke(services);
        services.AddStage<LearningStage>();
        services.AddStage<Web.ConsoleEvents>();
        services.AddStage<Web.ConsoleSeries>();
        services.AddStage<NotificationStage>();
        services.AddStage<VerificationStage>();
        services.AddStage<ExecutionStage>();
        services.AddStage<DecisionStage>();
        services.AddStage<DiagnosisStage>();
        services.AddStage<CorrelationStage>();
        services.AddStage<ChangeStage>();
        services.AddStage<KubernetesEventStage>();
        services.AddStage<DetectionStage>();
        services.AddStage<LogSignalStage>();
        services.AddStage<TopologyStage>();
        services.AddStage<SpanMetricsStage>();
        return services;
    }

    /// <summary>The action providers, each behind its own bulkheads and circuit breakers.</summary>
    private static void AddActions(IServiceCollection services, MedicOptions options)
    {
        services.AddSingleton(options.Resilience);
        AddAction(services, sp => new KubernetesCallProvider(sp.GetRequiredService<IKubernetesApi>()));
        AddAction(services, _ => new ShellActionProvider(options.Shell));
        AddAction(services, _ => new HttpActionProvider(options.Http));
        AddAction(services, _ => new AnsibleActionProvider(options.Ansible));
        AddAction(services, sp => new NotifyActionProvider(sp.GetServices<INotifier>()));
        services.AddSingleton<ActionProviders>();
    }

    /// <summary>Registers an action provider wrapped in <see cref="ResilientActionProvider"/>.</summary>
    public static void AddAction(IServiceCollection services, Func<IServiceProvider, IActionProvider> create) =>
        services.AddSingleton<IActionProvider>(sp => new ResilientActionProvider(create(sp), sp.GetRequiredService<ActionResilienceOptions>(), sp.GetRequiredService<TimeProvider>()));

    /// <summary>The channels: the log always, Slack, PagerDuty and webhooks when configured.</summary>
    private static void AddNotifiers(IServiceCollection services, MedicOptions options)
    {
        const string Http = NotificationsHttpClient;
        services.AddKeyedSingleton(Http, (_, _) => new HttpClient { Timeout = TimeSpan.FromSeconds(15) });
        services.AddSingleton<INotifier, LogNotifier>();
        if (options.Slack is { } slack)
        {
            services.AddSingleton(slack);
            services.AddSingleton(sp => new SlackNotifier(slack, sp.GetRequiredKeyedService<HttpClient>(Http)));
            services.AddSingleton<INotifier>(sp => sp.GetRequiredService<SlackNotifier>());
            services.AddSingleton<IApprovalNotifier>(sp => sp.GetRequiredService<SlackNotifier>());
        }

        if (options.PagerDuty is { } pagerDuty)
        {
            services.AddSingleton<INotifier>(sp => new PagerDutyNotifier(pagerDuty, sp.GetRequiredKeyedService<HttpClient>(Http)));
        }

        foreach (var webhook in options.Webhooks)
        {
            services.AddSingleton<INotifier>(sp => new WebhookNotifier(webhook, sp.GetRequiredKeyedService<HttpClient>(Http), sp.GetRequiredService<TimeProvider>()));
        }
    }

    /// <summary>Registers a stage and the hosted service that runs it.</summary>
    public static IServiceCollection AddStage<TStage>(this IServiceCollection services)
        where TStage : class, IStage
    {
        services.AddSingleton<TStage>();
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<StageService>(sp, sp.GetRequiredService<TStage>()));
        return services;
    }
}
