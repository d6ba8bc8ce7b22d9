using Medic.Core.Decisions;
using Medic.Core.Rca;
using Medic.Core.Storage;
using Medic.Core.Verification;

namespace Medic.Core.Learning;

/// <summary>
/// Learns which playbook fixes which kind of incident: a Beta posterior per incident signature
/// (fault kind guess, service tier, entity kind) and playbook, updated from verification outcomes
/// (recovered: a success; not recovered: a failure; made worse: several failures). Where policy
/// lets a candidate run on its own and its risk is at most the ceiling, the choice is Thompson
/// sampling; otherwise the candidates are ranked by expected success, the priorities' order
/// breaking ties through the prior. State is saved after every outcome. Each verified decision is
/// logged with the probability it had (for <see cref="OffPolicyEvaluation"/>); where the training job
/// found the greedy policy at least as good on that log, the learner stops exploring for the signature.
/// </summary>
public sealed class PlaybookLearner(ISettingsStore store, LearningOptions options) : IDisposable
{
    /// <summary>Logged decisions kept for off-policy evaluation; the oldest go first.</summary>
    public const int LogCapacity = 10_000;

    private const string StoreKey = "learning";
    private const string LogKey = "learning-log";
    private const string GreedyKey = "learning-greedy";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();
    private Dictionary<string, Dictionary<string, BetaArm>>? _arms;
    private List<LoggedDecision>? _log;
    private Dictionary<string, string>? _greedy;

    /// <summary>The learner's settings.</summary>
    public LearningOptions Options => options;

    /// <summary>The signature incidents are learnt by: <c>fault kind|tier|entity kind</c> (<c>-</c> for an unknown tier).</summary>
    public static string SignatureOf(Hypothesis top, ServiceInfo? service)
    {
        ArgumentNullException.ThrowIfNull(top);
        var tier = service?.Tags.FirstOrDefault(t => t.StartsWith("tier:", StringComparison.Ordinal))?["tier:".Length..] ?? "-";
        return $"{top.FaultKind}|{tier}|{top.Entity.Kind}";
    }

    /// <summary>
    /// Picks among <paramref name="candidates"/> (in the priorities' order; each says whether it may
    /// be tried on its own: automatic under policy and within the risk ceiling).
    /// </summary>
    public async Task<LearnedChoice> ChooseAsync(string signature, IReadOnlyList<(string PlaybookId, bool MayExplore)> candidates, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var arms = await ArmsAsync(signature, cancellationToken);
            var known = candidates.Select((c, rank) => (c.PlaybookId, c.MayExplore, Arm: arms.TryGetValue(c.PlaybookId, out var a) ? a : Prior(rank))).ToList();
            var ranking = known.OrderByDescending(k => k.Arm.Mean).Select(k => new RankedPlaybook(k.PlaybookId, k.Arm.Mean)).ToList();
            var best = ranking[0].PlaybookId;

            // A greedy policy that offline evaluation let act picks its playbook while that is still the
            // best by record; once another overtakes it, sampling resumes until an evaluation says otherwise.
            var greedy = await GreedyAsync(cancellationToken);
            if (greedy.TryGetValue(signature, out var acting) && acting != best)
            {
                greedy.Remove(signature);
                await store.SetJsonAsync(GreedyKey, greedy, cancellationToken);
            }

            if (known.Count == 1 || !known.Any(k => k.MayExplore) || greedy.ContainsKey(signature))
            {
                return new LearnedChoice(signature, best, 1, Explored: false, ranking);
            }

            // Sample every candidate; a draw won by one that may not be tried on its own goes to the best instead.
            string Draw(Random random)
            {
                var winner = known.MaxBy(k => k.Arm.Sample(random));
                return winner.MayExplore ? winner.PlaybookId : best;
            }

            var chosen = Draw(_random);
            var estimate = new Random(_random.Next());
            var propensity = Enumerable.Range(0, options.PropensityDraws).Count(_ => Draw(estimate) == chosen) / (double)options.PropensityDraws;

            // Explored: picked because it may be tried; the best, when it may not be, is picked by its record alone.
            return new LearnedChoice(signature, chosen, Math.Max(propensity, 1.0 / options.PropensityDraws), Explored: known.First(k => k.PlaybookId == chosen).MayExplore, ranking);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Learns from the verified outcome of a run of <paramref name="playbookId"/> on an incident of <paramref name="signature"/>.</summary>
    public async Task<BetaArm> LearnAsync(string signature, string playbookId, OutcomeKind outcome, int priorityRank, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var arms = await ArmsAsync(signature, cancellationToken);
            var arm = arms.TryGetValue(playbookId, out var known) ? known : Prior(priorityRank);
            arms[playbookId] = arm = outcome switch
            {
                OutcomeKind.Recovered => arm.Update(1),
                OutcomeKind.MadeWorse => arm.Update(0, options.HarmWeight),
                _ => arm.Update(0),
            };
            await SaveAsync(cancellationToken);
            return arm;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Everything learnt: signature → playbook → posterior.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, BetaArm>>> SnapshotAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var arms = _arms ?? await LoadAsync(cancellationToken);
            return arms.OrderBy(a => a.Key, StringComparer.Ordinal)
                .ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, BetaArm>)new SortedDictionary<string, BetaArm>(a.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Logs a decision it made and what verification made of it, for off-policy evaluation.</summary>
    public async Task LogAsync(LoggedDecision decision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var log = await LoggedAsync(cancellationToken);
            log.Add(decision);
            if (log.Count > LogCapacity)
            {
                log.RemoveRange(0, log.Count - LogCapacity);
            }

            await store.SetJsonAsync(LogKey, log, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The logged decisions, oldest first, and the signatures where a greedy policy was let act, with its playbook.</summary>
    public async Task<(IReadOnlyList<LoggedDecision> Log, IReadOnlyDictionary<string, string> Greedy)> DecisionsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return ([.. await LoggedAsync(cancellationToken)], new Dictionary<string, string>(await GreedyAsync(cancellationToken), StringComparer.Ordinal));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Lets the greedy policy act for <paramref name="signature"/> (offline evaluation found it at least as
    /// good as the logged one): <paramref name="playbookId"/> is chosen without exploring while it stays the best by record.
    /// </summary>
    public async Task ActGreedilyAsync(string signature, string playbookId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var greedy = await GreedyAsync(cancellationToken);
            greedy[signature] = playbookId;
            await store.SetJsonAsync(GreedyKey, greedy, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets what was learnt for <paramref name="signature"/>, its logged decisions and its greedy policy; false when nothing was learnt.</summary>
    public async Task<bool> ResetAsync(string signature, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var arms = _arms ?? await LoadAsync(cancellationToken);
            if (!arms.Remove(signature))
            {
                return false;
            }

            await SaveAsync(cancellationToken);
            var (log, greedy) = (await LoggedAsync(cancellationToken), await GreedyAsync(cancellationToken));
            if (log.RemoveAll(d => d.Signature == signature) > 0)
            {
                await store.SetJsonAsync(LogKey, log, cancellationToken);
            }

            if (greedy.Remove(signature))
            {
                await store.SetJsonAsync(GreedyKey, greedy, cancellationToken);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private BetaArm Prior(int priorityRank) => new(1 + (priorityRank == 0 ? options.PriorityHeadStart : 0), 1, 0);

    private async Task<Dictionary<string, BetaArm>> ArmsAsync(string signature, CancellationToken cancellationToken)
    {
        var all = _arms ?? await LoadAsync(cancellationToken);
        if (!all.TryGetValue(signature, out var arms))
        {
            all[signature] = arms = new Dictionary<string, BetaArm>(StringComparer.Ordinal);
        }

        return arms;
    }

    private async Task<Dictionary<string, Dictionary<string, BetaArm>>> LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.GetJsonAsync<Dictionary<string, Dictionary<string, BetaArm>>>(StoreKey, cancellationToken);
        return _arms = loaded?.ToDictionary(s => s.Key, s => new Dictionary<string, BetaArm>(s.Value, StringComparer.Ordinal), StringComparer.Ordinal)
            ?? new Dictionary<string, Dictionary<string, BetaArm>>(StringComparer.Ordinal);
    }

    private async Task<List<LoggedDecision>> LoggedAsync(CancellationToken cancellationToken) =>
        _log ??= await store.GetJsonAsync<List<LoggedDecision>>(LogKey, cancellationToken) ?? [];

    private async Task<Dictionary<string, string>> GreedyAsync(CancellationToken cancellationToken) =>
        _greedy ??= new Dictionary<string, string>(
            await store.GetJsonAsync<Dictionary<string, string>>(GreedyKey, cancellationToken) ?? [],
            StringComparer.Ordinal);

    private Task SaveAsync(CancellationToken cancellationToken) =>
        store.SetJsonAsync(StoreKey, _arms, cancellationToken);
}
