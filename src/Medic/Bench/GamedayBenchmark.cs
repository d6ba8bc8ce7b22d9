using System.Text.Json;
using Medic.Core.Decisions;
using Medic.Core.Detection;
using Medic.Core.Detection.Multivariate;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Learning;
using Medic.Core.Learning.Drift;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Storage;
using Medic.Core.Verification;
using Medic.Demo;
using Medic.Sim;
using Medic.Sim.Estate;
using Medic.Sim.Faults;
using Spectre.Console;

namespace Medic.Bench;

/// <summary>The figures of a game day, overall or for one fault kind; null where nothing was there to measure.</summary>
internal sealed record GamedayFigures(
    int Faults,
    double Recall,
    double? MttdSMedian,
    double AcAt1,
    double AcAt3,
    double? CorrectPlaybookRate,
    double RecoveredRate,
    double? MttrSMedian,
    double? MttrSP90,
    int IatrogenicActions,
    int BlockedByPolicy);

/// <summary>What a game day measured: overall, per fault kind, the false incidents and how signals were grouped.</summary>
internal sealed record GamedayResult(GamedayFigures Overall, double FalseIncidentsPerDay, CorrelationFigures Correlation, Calibration Calibration, IReadOnlyDictionary<string, GamedayFigures> PerKind, IReadOnlyList<DemoIncident> Faults, TimeSpan Simulated)
{
    /// <summary>How the loop coped with the traffic pattern changing halfway (game days with <c>--drift</c>); null otherwise.</summary>
    public GamedayDrift? Drift { get; init; }

    /// <summary>How the learner chose among competing playbooks (game days with <c>--learn</c>); null otherwise.</summary>
    public GamedayLearning? Learning { get; init; }
}

/// <summary>
/// False incidents a simulated day before the traffic pattern changed, in the first six hours after,
/// and after that: the detectors' drift and how soon it is over; the same for the signals each
/// service's isolation forest, run in shadow, would have raised; and the forests' refits.
/// </summary>
/// <param name="FalseIncidents">False incidents a simulated day.</param>
/// <param name="ShadowFalseAlarms">Signals the shadow forests would have raised that belong to no fault, a simulated day.</param>
/// <param name="RefitsBefore">Forests flagged as drifted and refit before the change.</param>
/// <param name="RefitsAfter">Forests flagged and refit after it.</param>
/// <param name="SwappedAfter">Refits after it whose candidate passed validation and took over.</param>
/// <param name="ServicesRefitAfter">Services whose forest was refit after it.</param>
internal sealed record GamedayDrift(DriftRates FalseIncidents, DriftRates ShadowFalseAlarms, int RefitsBefore, int RefitsAfter, int SwappedAfter, int ServicesRefitAfter)
{
    /// <summary>Share of the faults during which the shadow forests would have raised a signal the fault explains: their recall.</summary>
    public double ShadowFaultsCaught { get; init; }
}

/// <summary>A rate a simulated day before the traffic pattern changed, in the first six hours after, and later.</summary>
internal sealed record DriftRates(double Before, double FirstSixHours, double Later);

/// <summary>
/// The learner on a game day: how often, among faults where several playbooks matched and one of them
/// fixes the fault, it chose one that does — over the last 100 faults, and the choices of any other
/// over the whole day (the regret, each fix being certain and each wrong guess not fixing) — and how
/// many of its explorations went above the risk ceiling (must be none). The operator's feedback after
/// each fault (real, and what caused it) trains the RCA confidence calibration every 25 faults: the
/// Brier score of the last 100 faults' diagnoses as published, and of the ranker's own confidences
/// for the very same diagnoses, measure what it did; the same job lets a signature's greedy policy
/// act once replaying the logged decisions shows it at least as good.
/// </summary>
internal sealed record GamedayLearning(int Choices, double? BestActionRateLast100, int CumulativeRegret, int ExploredAboveRiskCeiling)
{
    /// <summary>Brier score of the last 100 faults' diagnoses, confidences as published (calibrated once a calibration took over).</summary>
    public double? BrierLast100 { get; init; }

    /// <summary>Brier score of the same diagnoses with the ranker's own confidences.</summary>
    public double? BrierLast100Uncalibrated { get; init; }

    /// <summary>Calibrations that took over during the game day, of those fitted.</summary>
    public (int Installed, int Fitted) Calibrations { get; init; }

    /// <summary>Signatures whose greedy policy offline evaluation let act (the learner stopped exploring there), of those evaluated.</summary>
    public (int Acting, int Evaluated) GreedyPolicies { get; init; }
}

/// <summary>
/// Game days: faults drawn at random from the simulator's library, one after another on the
/// simulated estate in fast-forward through the whole of Medic (detection, correlation,
/// diagnosis, decision with approvals granted, execution, verification), over a background of
/// harmless deploys, configuration changes and traffic spikes. After each fault's window, whatever
/// Medic did not fix is fixed by hand and the estate has a quiet spell before the next. Every
/// figure is computed from the simulator's ground truth.
/// </summary>
internal static class GamedayBenchmark
{
    /// <summary>The playbook that fixes each fault kind; kinds without one should be escalated to people, not acted on.</summary>
    private static readonly Dictionary<string, string> Playbooks = new(StringComparer.Ordinal)
    {
        [FaultKinds.MemoryLeak] = "k8s-pod-oom-restart-v1",
        [FaultKinds.BadDeploy] = "k8s-deploy-rollback-v1",
        [FaultKinds.NoisyNeighbour] = "k8s-node-noisy-neighbour-drain-v1",
    };

    /// <summary>
    /// The playbooks (shipped or competing) that fix each fault kind, from the simulator's semantics
    /// (docs/simulator.md): a bad version or configuration needs a rollback, a leak or a drained pool
    /// new pods, a noisy neighbour a drain. Kinds not here have no fix among them.
    /// </summary>
    private static readonly Dictionary<string, string[]> Fixes = new(StringComparer.Ordinal)
    {
        [FaultKinds.MemoryLeak] = ["k8s-pod-oom-restart-v1"],
        [FaultKinds.BadDeploy] = ["k8s-deploy-rollback-v1"],
        [FaultKinds.BadConfig] = ["k8s-deploy-rollback-v1"],
        [FaultKinds.NoisyNeighbour] = ["k8s-node-noisy-neighbour-drain-v1"],
        [FaultKinds.ConnectionPoolExhaustion] = ["k8s-pod-oom-restart-v1", "k8s-deploy-rollback-v1", "k8s-deploy-errors-restart-v1"],
    };

    /// <summary>Competing playbooks that match the same faults as the shipped ones but do not fix them, for <c>--learn</c>.</summary>
    private static readonly string LearningPlaybooks = Path.Combine("sim", "playbooks", "learn");

    /// <summary>How the traffic pattern changes halfway through a game day with <c>--drift</c>: half as much again, peaking six hours later.</summary>
    private const double DriftScale = 1.5, DriftPeakHour = 21;

    /// <summary>What each service's shadow forest judges together.</summary>
    private static readonly string[] ShadowForestMetrics = ["service_request_rate", "service_latency_p99_seconds", "service_error_ratio"];

    /// <summary>With <c>--learn</c>, faults between runs of the training job.</summary>
    private const int TrainEvery = 25;

    /// <summary>How long after the change its false incidents count as the drift's transient.</summary>
    private static readonly TimeSpan DriftTransient = TimeSpan.FromHours(6);

    public static async Task<GamedayResult> RunAsync(int faults, int seed, EstateSpec? estate, bool learn, bool drift, Action<string> progress, TextWriter? explain, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var draws = Enumerable.Range(0, faults).Select(_ => FaultKinds.All[random.Next(FaultKinds.All.Count)]).ToList();
        var dir = Directory.CreateTempSubdirectory("medic-gameday-");
        try
        {
            var options = new DemoOptions
            {
                Seed = seed,
                Faults = draws,
                Estate = estate,
                Urls = "http://127.0.0.1:0",
                DataPath = Path.Combine(dir.FullName, "gameday.db"),
                TickDelay = TimeSpan.Zero,
                ApprovalPause = TimeSpan.Zero,
                FaultTimeout = TimeSpan.FromMinutes(45),

                // A working day's background: good deploys and configuration changes, and spikes of traffic.
                HarmlessChangesPerDay = 24,
                TrafficSpikesPerDay = 6,
                TraceSampling = 0.01,

                // Without logs for now: log-window signals still split fault incidents (docs/benchmarks.md).
                LogSampling = 0,
                ConfigureServer = medic =>
                {
                    medic.Learning.Seed = seed;
                    if (drift)
                    {
                        // The model with a training window, which a traffic change could throw off: each service's forest, in shadow.
                        medic.Detection.Multivariate = new MultivariateOptions(ShadowForestMetrics) { Shadow = true, Drift = new() };
                    }
                },
            };
            if (learn)
            {
                options.PlaybooksDirectory = CompetingPlaybooks(options.PlaybooksDirectory, dir.FullName);
            }

            var silent = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
            await using var medic = await SimulatedMedic.StartAsync(options, silent, cancellationToken);
            var report = new DemoReportBuilder(medic.Services.GetRequiredService<IIncidentStore>(), medic.Services.GetRequiredService<IDecisionStore>(), medic.Services.GetRequiredService<IRunStore>());
            var start = medic.Clock.GetUtcNow();
            await StepsAsync(medic, options.WarmUp, cancellationToken);
            var watchStart = medic.Clock.GetUtcNow();
            var windows = new List<FaultWindow>();
            DateTimeOffset? driftAt = null;
            foreach (var (kind, index) in draws.Select((k, i) => (k, i)))
            {
                if (drift && index == faults / 2)
                {
                    medic.Simulator.ChangeTraffic(DriftScale, DriftPeakHour);
                    driftAt = medic.Clock.GetUtcNow();
                    progress($"the traffic pattern changed: {DriftScale}× the traffic, peaking at {DriftPeakHour}:00");
                }

                var fault = medic.Simulator.Inject(kind);
                DateTimeOffset? closedAt = null;
                while (medic.Clock.GetUtcNow() - fault.InjectedAt < options.FaultTimeout
                    && (closedAt is null || medic.Clock.GetUtcNow() - closedAt < options.CoolDown))
                {
                    await medic.StepAsync(TimeSpan.Zero, cancellationToken);
                    if (closedAt is null && await report.FindIncidentAsync(fault, openedBefore: null, cancellationToken) is { IsActive: false })
                    {
                        closedAt = medic.Clock.GetUtcNow();
                    }
                }

                medic.Simulator.ClearFaults();
                await StepsAsync(medic, options.CoolDown, cancellationToken);
                windows.Add(new FaultWindow(fault, medic.Clock.GetUtcNow()));
                progress($"{index + 1} of {faults}: {kind} on {fault.Truth.Kind}/{fault.Truth.Name}");
                if (learn)
                {
                    await TeachAsync(medic, report, windows[^1], (index + 1) % TrainEvery == 0, cancellationToken);
                }
            }

            await medic.Services.GetRequiredService<DemoApprover>().DrainAsync();
            await medic.Monitor.WaitForIdleAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var incidents = medic.Services.GetRequiredService<IIncidentStore>();
            var decisions = medic.Services.GetRequiredService<IDecisionStore>();
            var rows = new List<(DemoIncident Row, bool AtThree, int MadeWorse, int Blocked)>();
            var choices = new List<(int Fault, bool? Best, bool AboveCeiling)>();
            var diagnoses = new List<(int Fault, double Confidence, double RankerConfidence, bool Right)>();
            foreach (var window in windows)
            {
                var fault = window.Fault;
                var row = await report.BuildAsync(fault, window.End, cancellationToken);
                var timeline = row.IncidentId is { } id ? await incidents.GetTimelineAsync(id, cancellationToken) : [];
                var blocked = row.IncidentId is { } incidentId ? (await decisions.ListByIncidentAsync(incidentId, cancellationToken)).Count(d => d.Status == DecisionStatus.Blocked) : 0;
                rows.Add((row, TopThree(timeline, fault.Truth), MadeWorse(timeline), blocked));
                if (row.IncidentId is { } chosenFor && (await decisions.ListByIncidentAsync(chosenFor, cancellationToken)).LastOrDefault(d => d.Learning is { Ranking.Count: > 1 }) is { } choice)
                {
                    var ceiling = medic.Services.GetRequiredService<LearningOptions>().RiskCeiling;
                    // Best: it fixes the fault; undefined when no candidate would have (a misdiagnosis, a fault nothing here fixes).
                    var fixing = Fixes.GetValueOrDefault(fault.Kind) ?? [];
                    bool? best = choice.Learning!.Ranking.Any(r => fixing.Contains(r.PlaybookId)) ? fixing.Contains(choice.PlaybookId) : null;
                    choices.Add((rows.Count - 1, best, choice.Learning.Explored && choice.Verdict?.Risk > ceiling));
                }

                if (Hypotheses(timeline) is [var leader, ..])
                {
                    diagnoses.Add((rows.Count - 1, leader.Confidence, leader.RankerConfidence, row.RootCauseCorrect));
                }
                explain?.WriteLine(FormattableString.Invariant($"OUTCOME {rows.Count - 1} {fault.Kind} {fault.Truth.Kind}/{fault.Truth.Name}: {(row.IncidentId is null ? "not detected" : $"diagnosed {row.Diagnosis ?? "nothing"}{(row.RootCauseCorrect ? " (right)" : "")}; deep tier: {timeline.LastOrDefault(e => e.Kind == "causal-analysis")?.Message ?? "none"}; evidence: {(Hypotheses(timeline) is [var top, ..] ? string.Join("; ", top.Evidence) : "none")}; playbook {row.Playbook ?? "none"}; {(row.Recovered ? "recovered" : row.NotHealedBecause)}")}"));
            }

            foreach (var refit in medic.Services.GetRequiredService<ModelRecords>().Versions.Where(v => v.Validation is not null))
            {
                var check = refit.Validation!;
                explain?.WriteLine(FormattableString.Invariant($"REFIT {refit.At:yyyy-MM-ddTHH:mm} {refit.At.DayOfWeek} {refit.Model} {refit.Key} v{refit.Version} {refit.Reason}{(refit.Drift is { } d ? $" psi {d.Psi:0.00} ks {d.KsStatistic:0.00} p {d.KsPValue:0.0e0}" : "")}; false alarms on {check.Normal} normal: in use {check.CurrentFalseAlarms}, candidate {check.CandidateFalseAlarms}; {(refit.Swapped ? "swapped" : "kept out")}"));
            }

            // An incident merged into another is part of that one, not an incident of its own.
            var all = (await incidents.ListAsync(activeOnly: false, limit: 100_000, cancellationToken)).Where(i => i.State != IncidentState.Merged).ToList();
            var matched = rows.Select(r => r.Row.IncidentId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var watched = medic.Clock.GetUtcNow() - watchStart;
            var falseIncidents = all.Count(i => i.OpenedAt >= watchStart && !matched.Contains(i.Id));
            var signals = medic.Services.GetRequiredService<ISignalStore>();
            var grouped = new List<(IReadOnlyList<Signal> Signals, int Duplicates)>();
            foreach (var incident in all.Where(i => i.OpenedAt >= watchStart))
            {
                var held = await signals.ListByIncidentAsync(incident.Id, cancellationToken);
                grouped.Add((held, incident.Duplicates));
                if (!matched.Contains(incident.Id) && held.Count > 0)
                {
                    explain?.WriteLine(FormattableString.Invariant($"FALSE {incident.OpenedAt:yyyy-MM-ddTHH:mm:ss} {held.Count} signal(s), the first {held[0].Type} on {held[0].Entity} ({held[0].Model}): {held[0].Summary}"));
                }
            }

            return new GamedayResult(
                Figures([.. rows]),
                falseIncidents / Math.Max(watched.TotalDays, 1e-9),
                GamedayCorrelation.Score(windows, medic.Simulator.Spikes, grouped, medic.Simulator.Estate, explain),
                Calibration.Of([.. diagnoses.Select(d => (d.Confidence, d.Right))]),
                rows.GroupBy(r => r.Row.Fault).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Figures([.. g]), StringComparer.Ordinal),
                [.. rows.Select(r => r.Row)],
                medic.Clock.GetUtcNow() - start)
            {
                Learning = learn && await TrainedAsync(medic.Services.GetRequiredService<IModelVersionStore>(), cancellationToken) is var (calibrations, policies)
                    ? Learning(choices, rows.Count) with
                    {
                        BrierLast100 = Brier(diagnoses, rows.Count, d => d.Confidence),
                        BrierLast100Uncalibrated = Brier(diagnoses, rows.Count, d => d.RankerConfidence),
                        Calibrations = calibrations,
                        GreedyPolicies = policies,
                    }
                    : null,
                Drift = driftAt is { } changed && ShadowAlarms(medic.Services.GetRequiredService<ModelRecords>(), windows, medic.Simulator) is var (shadowFalse, shadowCaught)
                    ? Drift(
                        all.Where(i => i.OpenedAt >= watchStart && !matched.Contains(i.Id)).Select(i => i.OpenedAt).ToList(),
                        shadowFalse,
                        medic.Services.GetRequiredService<ModelRecords>().Versions,
                        watchStart,
                        changed,
                        medic.Clock.GetUtcNow()) with { ShadowFaultsCaught = shadowCaught }
                    : null,
            };
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The shipped playbooks and their competitors together in one folder under <paramref name="work"/>.</summary>
    private static string CompetingPlaybooks(string shipped, string work)
    {
        if (!Directory.Exists(LearningPlaybooks) || !Directory.Exists(shipped))
        {
            throw new DirectoryNotFoundException($"--learn needs the shipped playbooks ({shipped}) and their competitors ({LearningPlaybooks}): run it from the repository's root");
        }

        var folder = Directory.CreateDirectory(Path.Combine(work, "playbooks")).FullName;
        foreach (var file in Directory.GetFiles(shipped, "*.yaml").Concat(Directory.GetFiles(LearningPlaybooks, "*.yaml")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    private static GamedayDrift Drift(List<DateTimeOffset> falseIncidents, List<DateTimeOffset> shadowFalseAlarms, IReadOnlyList<ModelVersion> refits, DateTimeOffset from, DateTimeOffset changed, DateTimeOffset until)
    {
        var transientEnd = changed + DriftTransient < until ? changed + DriftTransient : until;
        DriftRates Rates(List<DateTimeOffset> times)
        {
            double PerDay(DateTimeOffset start, DateTimeOffset end) => times.Count(at => at >= start && at < end) / Math.Max((end - start).TotalDays, 1e-9);
            return new DriftRates(PerDay(from, changed), PerDay(changed, transientEnd), PerDay(transientEnd, until));
        }

        var drifted = refits.Where(r => r.Reason == "drift").ToList();
        return new GamedayDrift(
            Rates(falseIncidents),
            Rates(shadowFalseAlarms),
            drifted.Count(r => r.At < changed),
            drifted.Count(r => r.At >= changed),
            drifted.Count(r => r.At >= changed && r.Swapped),
            drifted.Where(r => r.At >= changed).Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>When the shadow forests would have raised a signal that belongs to no fault, and the share of faults during which they raised one that does.</summary>
    private static (List<DateTimeOffset> False, double Caught) ShadowAlarms(ModelRecords records, List<FaultWindow> windows, Simulator simulator)
    {
        var background = GamedayCorrelation.BackgroundTest(windows, simulator.Spikes, simulator.Estate);
        var judged = records.ShadowAlarms
            .Select(a => (a.At, Background: background(new Signal { Id = "", Source = SignalSources.Metrics, Type = DetectionStage.MultivariateType, Entity = new Entity(EntityKinds.Service, a.Key) { Service = a.Key }, ObservedAt = a.At, Summary = "", Score = 1, Confidence = 1 })))
            .ToList();
        var caught = windows.Count(w => judged.Any(a => !a.Background && a.At >= w.Fault.InjectedAt && a.At <= w.End));
        return ([.. judged.Where(a => a.Background).Select(a => a.At)], Share(caught, windows.Count));
    }

    private static GamedayLearning Learning(List<(int Fault, bool? Best, bool AboveCeiling)> choices, int faults)
    {
        var judged = choices.Where(c => c.Best is not null).ToList();
        var last = judged.Where(c => c.Fault >= faults - 100).ToList();
        return new GamedayLearning(judged.Count, last.Count == 0 ? null : Share(last.Count(c => c.Best == true), last.Count), judged.Count(c => c.Best == false), choices.Count(c => c.AboveCeiling));
    }

    /// <summary>
    /// What an operator would do after a fault: say its incident was real and what caused it (the
    /// simulator's truth); and every <see cref="TrainEvery"/> faults, run the training job (<c>medic train</c>).
    /// </summary>
    private static async Task TeachAsync(SimulatedMedic medic, DemoReportBuilder report, FaultWindow window, bool train, CancellationToken cancellationToken)
    {
        var truth = window.Fault.Truth;
        if ((await report.BuildAsync(window.Fault, window.End, cancellationToken)).IncidentId is { } incident)
        {
            var cause = truth.Kind == EntityKinds.Service ? truth.Name : $"{truth.Kind}/{truth.Name}";
            await medic.Services.GetRequiredService<DetectorFeedback>().RecordAsync(incident, FeedbackVerdict.TruePositive, "gameday", null, cause, cancellationToken);
        }

        if (train)
        {
            // The detection stage refits its forests (with --drift) at its next tick, which comes only as
            // the estate steps on. It steps on only then: what the job does itself lands at this
            // simulated moment on every run, however long this machine takes to do it.
            var training = medic.Services.GetRequiredService<TrainingJob>().RunAsync(TrainingSince.Default, cancellationToken);
            var trainer = medic.Services.GetService<IDetectorTrainer>();
            while (!training.IsCompleted)
            {
                if (trainer is { RetrainWaiting: true })
                {
                    await medic.StepAsync(TimeSpan.Zero, cancellationToken);
                }
                else
                {
                    await Task.WhenAny(training, Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken));
                }
            }

            await training;
        }
    }

    private static double? Brier(List<(int Fault, double Confidence, double RankerConfidence, bool Right)> diagnoses, int faults, Func<(int Fault, double Confidence, double RankerConfidence, bool Right), double> confidence) =>
        Calibration.Of([.. diagnoses.Where(d => d.Fault >= faults - 100).Select(d => (confidence(d), d.Right))]).BrierScore is { } brier ? Math.Round(brier, 4) : null;

    /// <summary>The calibrations that took over, of those fitted; the signatures whose greedy policy was let act, of those evaluated.</summary>
    private static async Task<((int, int) Calibrations, (int, int) Policies)> TrainedAsync(IModelVersionStore versions, CancellationToken cancellationToken)
    {
        var calibrations = await versions.ListAsync(TrainingJob.CalibrationModel, 10_000, cancellationToken);
        var policies = await versions.ListAsync(TrainingJob.PolicyModel, 10_000, cancellationToken);
        int Signatures(IEnumerable<ModelVersion> tried) => tried.Select(v => v.Key).Distinct(StringComparer.Ordinal).Count();
        return ((calibrations.Count(v => v.Swapped), calibrations.Count), (Signatures(policies.Where(v => v.Swapped)), Signatures(policies)));
    }

    private static async Task StepsAsync(SimulatedMedic medic, TimeSpan span, CancellationToken cancellationToken)
    {
        for (var until = medic.Clock.GetUtcNow() + span; medic.Clock.GetUtcNow() < until;)
        {
            await medic.StepAsync(TimeSpan.Zero, cancellationToken);
        }
    }

    private static GamedayFigures Figures(IReadOnlyList<(DemoIncident Row, bool AtThree, int MadeWorse, int Blocked)> rows)
    {
        var detected = rows.Where(r => r.Row.IncidentId is not null).ToList();
        var recovered = rows.Where(r => r.Row.Recovered).Select(r => r.Row.TimeToRecoverS ?? 0).Order().ToList();
        return new GamedayFigures(
            rows.Count,
            Share(detected.Count, rows.Count),
            Quantile([.. detected.Select(r => r.Row.DetectedAfterS ?? 0).Order()], 0.5),
            Share(rows.Count(r => r.Row.RootCauseCorrect), rows.Count),
            Share(rows.Count(r => r.AtThree), rows.Count),
            detected.Count == 0 ? null : Share(detected.Count(r => r.Row.Playbook == Playbooks.GetValueOrDefault(r.Row.Fault)), detected.Count),
            Share(recovered.Count, rows.Count),
            Quantile(recovered, 0.5),
            Quantile(recovered, 0.9),
            rows.Sum(r => r.MadeWorse),
            rows.Sum(r => r.Blocked));
    }

    /// <summary>Whether the true root cause is among the last diagnosis' three best hypotheses.</summary>
    private static bool TopThree(IReadOnlyList<TimelineEntry> timeline, GroundTruth truth) =>
        Hypotheses(timeline).Take(3).Any(h => truth.Kind == "service" ? h.Entity.Service == truth.Name : h.Entity.Kind == truth.Kind && h.Entity.Name == truth.Name);

    /// <summary>The last diagnosis' hypotheses, most likely first (none when never diagnosed).</summary>
    private static List<Hypothesis> Hypotheses(IReadOnlyList<TimelineEntry> timeline) =>
        timeline.LastOrDefault(e => e.Kind == "diagnosis" && e.DataJson is not null) is { } diagnosis
            ? JsonSerializer.Deserialize<List<Hypothesis>>(diagnosis.DataJson!, MedicJson.Options) ?? []
            : [];

    /// <summary>Runs whose verification found the SLOs further from target than before: actions that harmed.</summary>
    private static int MadeWorse(IReadOnlyList<TimelineEntry> timeline) =>
        timeline.Count(e => e.Kind == "verification" && e.DataJson is not null && JsonSerializer.Deserialize<Outcome>(e.DataJson, MedicJson.Options)?.Kind == OutcomeKind.MadeWorse);

    private static double Share(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    private static double? Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
}
