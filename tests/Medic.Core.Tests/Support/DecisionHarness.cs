using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Learning;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Workflows;
using Medic.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Support;

/// <summary>The decision side of the loop wired to in-memory stores and a fake clock.</summary>
internal sealed class DecisionHarness : IDisposable
{
    public DecisionHarness(PolicyOptions? policy = null, params Playbook[] playbooks)
    {
        Policy = policy ?? new PolicyOptions();
        Repository.Set(playbooks.Length > 0 ? playbooks : [TestPlaybooks.Article]);
        KillSwitch = new KillSwitch(Settings, Audit, Clock, new KillSwitchOptions { ReadEnvironment = _ => null });
        Lifecycle = new IncidentLifecycle(Incidents, Bus, Clock);
        Approvals = new ApprovalService(Decisions, Incidents, Lifecycle, Audit, Bus, Policy, Runs, Cancellations, Clock);
        Maker = new DecisionMaker(Bus, Repository, Incidents, Signals, Signals, Decisions, Services, KillSwitch, new PolicyEngine(Policy, Clock), new ActivityLedger(Runs, Clock), Lifecycle, Audit, new DiagnosisOptions(), Learner, Clock);
    }

    public PlaybookLearner Learner { get; } = new(new InMemorySettingsStore(), new LearningOptions { Seed = 1 });

    public FakeTimeProvider Clock { get; } = new(Some.Start);

    public RecordingBus Bus { get; } = new();

    public InMemoryAuditLog Audit { get; } = new();

    public InMemoryIncidentStore Incidents { get; } = new();

    public InMemorySignalStore Signals { get; } = new();

    public InMemoryDecisionStore Decisions { get; } = new();

    public InMemoryRunStore Runs { get; } = new();

    public InMemorySettingsStore Settings { get; } = new();

    public RunCancellations Cancellations { get; } = new();

    public FakeServiceCatalog Services { get; } = new();

    public PlaybookRepository Repository { get; } = new(null);

    public PolicyOptions Policy { get; }

    public KillSwitch KillSwitch { get; }

    public IncidentLifecycle Lifecycle { get; }

    public ApprovalService Approvals { get; }

    public DecisionMaker Maker { get; }

    public void Dispose()
    {
        KillSwitch.Dispose();
        Learner.Dispose();
        Approvals.Dispose();
    }

    /// <summary>An incident whose suspect is <paramref name="signal"/>'s entity, with that one signal.</summary>
    public async Task<(Incident Incident, Hypothesis Top)> IncidentAsync(Signal signal, double confidence = 0.98)
    {
        var incident = new Incident { Id = "i-" + Guid.NewGuid().ToString("n")[..8], State = IncidentState.Diagnosed, Title = signal.Summary, OpenedAt = Some.Start, UpdatedAt = Some.Start, LastSignalAt = Some.Start }.With(signal, [], Some.Start);
        await Incidents.CreateAsync(incident, CancellationToken.None);
        await Signals.AddAsync(signal, incident.Id, CancellationToken.None);
        var (kind, name) = signal.Entity.Candidate;
        var top = new Hypothesis(new Entity(kind, name) { Service = signal.Entity.Service, Namespace = signal.Entity.Namespace }, "oom", 1.2, confidence, ["test"]);
        return (incident, top);
    }

    /// <summary>The OOM kill of a cart pod, as Kubernetes reports it.</summary>
    public static Signal OomKill(string service = "cart") =>
        Some.Signal("PodOOMKilled", Some.Pod(service, $"{service}-7d9f8b6c5-x2x9z"), 0.9, SignalSources.Kubernetes, 1.0);

    public sealed class FakeServiceCatalog : IServiceCatalog
    {
        public Dictionary<string, ServiceInfo> Known { get; } = [];

        public Task<ServiceInfo?> GetAsync(string service, CancellationToken cancellationToken) => Task.FromResult(Known.GetValueOrDefault(service));
    }
}
