using System.Globalization;
using Medic.Core.Changes;
using Medic.Core.Signals;
using Medic.Core.Topology;
using Medic.Core.Traces;

namespace Medic.Core.Rca;

/// <summary>
/// The fast, minimal ranking: each service or node with signals is a candidate (and each third
/// party its callers' clients see failing, outside the estate), scored by its
/// most abnormal signal plus evidence that it is a cause rather than a symptom: a Kubernetes
/// event on it, a deploy or configuration change to it shortly before the incident, and the anomalous neighbours it
/// explains (its callers; the services on a node). A candidate that is itself explained by an
/// anomalous callee or host is more likely a symptom and loses as much as a change would add.
/// Scores become confidences by a softmax.
/// </summary>
public static class EvidenceRanker
{
    private const double EventBonus = 0.3;
    private const double ChangeBonus = 0.3;
    private const double PerExplained = 0.15;
    private const double MaxExplainedBonus = 0.45;
    private const double ExplainedPenalty = 0.3;
    private const string ClientErrorType = "HighClientErrorRate", ClientLatencyType = "HighClientLatency", RetransmitType = "NetworkRetransmits";
    private const string ClientRequestRate = "service_client_request_rate";
    private const string TrafficType = "TrafficAnomaly", ErrorType = "HighErrorRate";

    /// <summary>
    /// Ranks the candidates behind <paramref name="signals"/>, most likely first. Where the incident's
    /// failed requests start (<paramref name="errors"/>, from traces) gains as much as a Kubernetes
    /// event; the deep tier's first choice, once <paramref name="deep"/> is known, gains
    /// <see cref="DiagnosisOptions.DeepBonus"/>.
    /// </summary>
    public static IReadOnlyList<Hypothesis> Rank(
        IReadOnlyList<Signal> signals,
        IReadOnlyList<ChangeEvent> changes,
        ITopology topology,
        DiagnosisOptions options,
        DeepVerdict? deep = null,
        ErrorOrigin? errors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var candidates = new Dictionary<(string, string), Candidate>();
        foreach (var signal in signals)
        {
            var key = signal.Entity.Candidate;
            if (!candidates.TryGetValue(key, out var candidate))
            {
                candidates[key] = candidate = new Candidate(key.Kind, key.Name);
            }

            candidate.Signals.Add(signal);
        }

        // A third party: a peer whose callers' clients see it fail or slow down, but that does not run
        // in the estate (no pod of it is known), is a candidate of its own; its callers' client
        // signals are its evidence.
        foreach (var signal in signals.Where(s => s.Type is ClientErrorType or ClientLatencyType))
        {
            if (signal.Label("peer_service") is { } peer && !topology.Runs(peer))
            {
                var key = (EntityKinds.Dependency, peer);
                if (!candidates.TryGetValue(key, out var candidate))
                {
                    candidates[key] = candidate = new Candidate(key.Dependency, key.peer);
                }

                candidate.Signals.Add(signal);
            }
        }

        // Packet loss: nodes of two or more zones retransmitting at once point at the network between
        // those zones, not at any one node or service (each is only an end of a lossy link).
        var lossyZones = signals.Where(s => s.Type == RetransmitType).Select(s => s.Label("zone")).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (lossyZones.Count >= 2)
        {
            var network = new Candidate(EntityKinds.Network, string.Join('~', lossyZones));
            network.Signals.AddRange(signals.Where(s => s.Type == RetransmitType));
            candidates[(network.Kind, network.Name)] = network;
        }

        var surges = LoadSurges(signals);
        var fallbacks = Fallbacks(candidates, topology);
        foreach (var candidate in candidates.Values)
        {
            Score(candidate, candidates, changes, topology, surges);
            Fallback(candidate, fallbacks);
        }

        if (errors is not null && candidates.Values.FirstOrDefault(c => c.Name == errors.Origin && c.Kind is EntityKinds.Service or EntityKinds.Dependency) is { } origin)
        {
            origin.Score += EventBonus;
            origin.ErrorOrigin = errors;
            origin.Evidence.Add($"{errors.Count} of {errors.Total} failed requests in its traces start in it");
        }

        if (deep is { Ranked.Count: > 0 } && candidates.Values.FirstOrDefault(c => $"{c.Kind}/{c.Name}" == deep.Ranked[0]) is { } causal)
        {
            causal.Score += options.DeepBonus;
            causal.Evidence.Add(F($"the causal graph of {deep.Variables} candidates' series from {deep.From:HH:mm} to {deep.To:HH:mm} (PC algorithm, random walk) ranks it first"));
        }

        var ranked = candidates.Values.OrderByDescending(c => c.Score).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        var total = ranked.Sum(c => Math.Exp((c.Score - ranked[0].Score) / options.Temperature));
        return ranked.Select(c => new Hypothesis(
            c.ToEntity(),
            c.FaultKind,
            Math.Round(c.Score, 4),
            Math.Round(Math.Exp((c.Score - ranked[0].Score) / options.Temperature) / total * c.Signals.Max(s => s.Confidence), 4),
            c.Evidence) { Story = DiagnosisStory.Tell(c) }).ToList();
    }

    /// <summary>
    /// Callers whose calls to a peer surged (<c>service_client_request_rate</c> up): (caller, peer).
    /// A retry storm or a runaway job loads its callee; the callee's slowness is then its symptom.
    /// </summary>
    private static HashSet<(string Caller, string Peer)> LoadSurges(IReadOnlyList<Signal> signals) =>
        signals
            .Where(s => s.Metric?.StartsWith(ClientRequestRate, StringComparison.Ordinal) == true && s.Direction == "up")
            .Where(s => s.Entity.Service is not null && s.Label("peer_service") is not null)
            .Select(s => (s.Entity.Service!, s.Label("peer_service")!))
            .ToHashSet();

    /// <summary>
    /// Services whose traffic surged while a sibling (another callee of one of their callers) failed
    /// or lost its traffic: the callers fell back from the failed one to them, as to the database
    /// behind a dead cache. (failed, surged).
    /// </summary>
    private static HashSet<(string Failed, string Surged)> Fallbacks(Dictionary<(string, string), Candidate> all, ITopology topology)
    {
        var services = all.Values.Where(c => c.IsService).ToDictionary(c => c.Name, StringComparer.Ordinal);
        bool Surged(Candidate c) => c.Signals.Any(s => s.Type == TrafficType && s.Direction == "up");
        bool Failed(Candidate c) => c.Signals.Any(s => (s.Type == TrafficType && s.Direction == "down") || s.Type == ErrorType);
        return services.Values.Where(Surged)
            .SelectMany(surged => topology.Callers(surged.Name).SelectMany(topology.Callees)
                .Where(sibling => sibling != surged.Name && services.TryGetValue(sibling, out var failed) && Failed(failed) && !Surged(failed))
                .Select(sibling => (sibling, surged.Name)))
            .ToHashSet();
    }

    private static void Fallback(Candidate c, HashSet<(string Failed, string Surged)> fallbacks)
    {
        if (!c.IsService)
        {
            return;
        }

        var drove = fallbacks.Where(f => f.Failed == c.Name).Select(f => f.Surged).Distinct(StringComparer.Ordinal).ToList();
        if (drove.Count > 0)
        {
            c.Score += ChangeBonus;
            c.Evidence.Add($"its callers fell back to {string.Join(", ", drove)}, whose traffic surged");
        }

        var from = fallbacks.Where(f => f.Surged == c.Name).Select(f => f.Failed).Distinct(StringComparer.Ordinal).ToList();
        if (from.Count > 0)
        {
            c.Score -= ExplainedPenalty;
            c.Evidence.Add($"may be a symptom of {string.Join(", ", from)}: its traffic surged as callers fell back from it");
        }
    }

    private static void Score(Candidate c, Dictionary<(string, string), Candidate> all, IReadOnlyList<ChangeEvent> changes, ITopology topology, HashSet<(string Caller, string Peer)> surges)
    {
        var strongest = c.Signals.MaxBy(s => s.Score)!;
        c.Score = strongest.Score;
        c.FaultKind = FaultKindOf(strongest.Type);
        c.Evidence.Add(F($"{c.Signals.Count} signal(s); strongest: {strongest.Summary} (score {strongest.Score:F2})"));

        if (c.Signals.FirstOrDefault(s => s.Source == SignalSources.Kubernetes) is { } k8s)
        {
            c.Score += EventBonus;
            c.FaultKind = FaultKindOf(k8s.Type);
            c.Evidence.Add($"Kubernetes reported {k8s.Type} on {k8s.Entity}");
        }

        // Only changes to what runs are suspects; restarts, rollbacks and scaling are how faults get fixed.
        if (c.IsService && changes.LastOrDefault(ch => ch.Service == c.Name && ch.Kind is ChangeKinds.Deploy or ChangeKinds.Config) is { } change)
        {
            c.Score += ChangeBonus;
            c.Change = change;
            c.FaultKind = change.Kind == ChangeKinds.Deploy ? "bad-deploy" : "bad-config";

            c.Evidence.Add(F($"{change.Kind} shortly before: {change.Description} at {change.At:HH:mm:ss}"));
        }

        if (c.Kind == EntityKinds.Network)
        {
            var nodes = c.Signals.Select(s => s.Entity.Node ?? s.Entity.Name).Distinct(StringComparer.Ordinal).ToList();
            c.FaultKind = "packet-loss";
            c.Score += MaxExplainedBonus + EventBonus;
            c.Evidence.Add($"nodes in zones {c.Name.Replace("~", " and ", StringComparison.Ordinal)} retransmit at once ({string.Join(", ", nodes)}): the link between the zones loses packets");
            return;
        }

        if (c.Kind == EntityKinds.Dependency)
        {
            var callers = c.Signals.Select(s => s.Entity.Service).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            c.FaultKind = "dependency";
            c.Score += Math.Min(MaxExplainedBonus, PerExplained * callers.Count);
            c.Evidence.Add($"a third party: outside the estate, seen failing by the clients of {string.Join(", ", callers)}");
            return;
        }

        // A caller flooding c with calls is not explained by c's slowness: it causes it.
        var explains = (c.IsService ? topology.Callers(c.Name) : topology.ServicesOnNode(c.Name))
            .Where(s => s != c.Name && all.ContainsKey((EntityKinds.Service, s)) && !surges.Contains((s, c.Name))).ToList();
        if (explains.Count > 0)
        {
            c.Score += Math.Min(MaxExplainedBonus, PerExplained * explains.Count);
            c.Explains.AddRange(explains);
            c.Evidence.Add($"explains anomalies of {string.Join(", ", explains)} ({(c.IsService ? "its callers" : "running on it")})");
        }

        if (!c.IsService)
        {
            return;
        }

        // A caller flooding an anomalous peer with calls, with no failing callee of its own to excuse it, is the load's source.
        var flooded = surges.Where(s => s.Caller == c.Name && all.ContainsKey((EntityKinds.Service, s.Peer))).Select(s => s.Peer).ToList();
        var excused = topology.Callees(c.Name).Any(callee => !flooded.Contains(callee) && all.ContainsKey((EntityKinds.Service, callee)));
        if (flooded.Count > 0 && !excused)
        {
            c.Score += ChangeBonus;
            c.FaultKind = "load-surge";
            c.Evidence.Add($"its calls to {string.Join(", ", flooded)} surged: it loads them");
        }

        var explainedBy = topology.Callees(c.Name).Where(s => s != c.Name && all.ContainsKey((EntityKinds.Service, s)) && !surges.Contains((c.Name, s)))
            .Concat(all.Values.Where(n => n.Kind == EntityKinds.Node && topology.ServicesOnNode(n.Name).Contains(c.Name)).Select(n => n.Name))
            .Concat(all.Values.Where(d => d.Kind == EntityKinds.Dependency && d.Signals.Any(s => s.Entity.Service == c.Name)).Select(d => d.Name))
            .Concat(all.Values.Where(n => n.Kind == EntityKinds.Network).Select(n => n.Name))
            .Concat(surges.Where(s => s.Peer == c.Name && all.ContainsKey((EntityKinds.Service, s.Caller))).Select(s => $"a surge of calls from {s.Caller}"))
            .ToList();
        if (explainedBy.Count > 0)
        {
            c.Score -= ExplainedPenalty;
            c.Evidence.Add($"may be a symptom of {string.Join(", ", explainedBy)}");
        }
    }

    private static string FaultKindOf(string signalType) => signalType switch
    {
        "PodOOMKilled" or "MemoryGrowth" => "oom",
        "NodeCpuSaturation" or "CpuSpike" or "NodeMemoryPressure" => "resource-saturation",
        "HighErrorRate" or ClientErrorType => "errors",
        "HighLatency" or ClientLatencyType => "latency",
        "PodCrashLooping" => "crash-loop",
        RetransmitType => "packet-loss",
        _ => "unknown",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
