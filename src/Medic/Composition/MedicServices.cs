using Medic.Adapters.Bus;
using Medic.Adapters.Hosting;
using Medic.Adapters.Notifications;
using Medic.Adapters.Playbooks;
using Medic.Adapters.Storage.Sqlite;
using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Decisions;
using Medic.Core.Detection;
using Medic.Core.Events;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Topology;
using Medic.Core.Verification;
using Medic.Core.Workflows;
using Medic.Core.Workflows.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Medic.Composition;

/// <summary>The composition root: every port bound to its implementation, every stage hosted.</summary>
public static class MedicServices
{
    /// <summary>The action types this build has providers for; playbooks naming others are rejected.</summary>
    public static IReadOnlySet<string> ActionTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { KubernetesCallProvider.ActionType };

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
        services.TryAddSingleton<IKubernetesApi, NoClusterKubernetesApi>();

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
        services.AddSingleton<IDecisionStore, SqliteDecisionStore>();
        services.AddSingleton<IRunStore, SqliteRunStore>();
        services.AddSingleton<ISettingsStore, SqliteSettingsStore>();
        services.AddSingleton<IPendingMessageStore, SqlitePendingMessageStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();

        services.AddSingleton(new DetectionOptions());
        services.AddSingleton(new CorrelationOptions());
        services.AddSingleton(new DiagnosisOptions());
        services.AddSingleton(options.Policy);
        services.AddSingleton(new VerificationOptions());
        services.AddSingleton(new KillSwitchOptions
        {
            File = options.KillSwitchFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.DataPath))!, "KILLSWITCH"),
        });

        services.AddSingleton<LearnedTopology>();
        services.AddSingleton<ITopology>(sp => sp.GetRequiredService<LearnedTopology>());
        services.AddSingleton<IServiceCatalog, KubernetesServiceCatalog>();
        services.AddSingleton<IActionProvider, KubernetesCallProvider>();
        services.AddSingleton<ActionProviders>();
        services.AddSingleton<INotifier, LogNotifier>();
        services.AddSingleton(sp => new PlaybookRepository(sp.GetRequiredService<ActionProviders>().Types));
        services.AddSingleton<IPlaybookSource>(options.Git is { } git ? new GitPlaybookSource(git) : new DirectoryPlaybookSource(options.PlaybooksDirectory));
        services.AddSingleton(new PlaybookReloaderOptions { Interval = options.PlaybookReloadInterval });
        services.AddSingleton<PlaybookReloader>();
        services.AddSingleton<KillSwitch>();
        services.AddSingleton<IncidentLifecycle>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<ActivityLedger>();
        services.AddSingleton<DecisionMaker>();
        services.AddSingleton<WorkflowRunner>();

        // Playbooks load before any stage starts, so the first decision sees them.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PlaybookReloader>());

        sinks?.Invoke(services);
        services.AddStage<NotificationStage>();
        services.AddStage<VerificationStage>();
        services.AddStage<ExecutionStage>();
        services.AddStage<DecisionStage>();
        services.AddStage<DiagnosisStage>();
        services.AddStage<CorrelationStage>();
        services.AddStage<ChangeStage>();
        services.AddStage<KubernetesEventStage>();
        services.AddStage<DetectionStage>();
        services.AddStage<TopologyStage>();
        return services;
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
