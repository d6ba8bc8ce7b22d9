using System.Globalization;
using Medic.Core.Logs.Clustering;
using MathNet.Numerics.Distributions;

namespace Medic.Core.Logs.Signals;

public sealed partial class LogSignalStage
{
    /// <summary>Empty windows closed one by one at most; a longer silence is counted in one go.</summary>
    private const int MaxEmptyWindows = 60;

    /// <summary>Templates whose rates are kept per service; the longest unseen go first.</summary>
    private const int MaxRates = 20_000;

    /// <summary>
    /// Whether an abnormal window starts a new episode of <paramref name="kind"/>, rather than continuing
    /// one: an error burst that lasts half an hour is one signal, not thirty (each would open an
    /// incident of its own once the first is closed). An episode ends after
    /// <see cref="LogSignalOptions.EpisodeGap"/> windows without it.
    /// </summary>
    private bool Starts(ServiceLogs service, string kind)
    {
        var starts = !service.Episodes.TryGetValue(kind, out var last) || service.WindowsClosed - last > options.EpisodeGap;
        service.Episodes[kind] = service.WindowsClosed;
        return starts;
    }

    /// <summary>Closes the open window and the empty ones after it, up to (not including) <paramref name="until"/>.</summary>
    private async Task CloseWindowsAsync(ServiceLogs service, long until, CancellationToken cancellationToken)
    {
        await CloseWindowAsync(service, cancellationToken);
        var empty = until - service.Window - 1;
        for (var i = 0; i < Math.Min(empty, MaxEmptyWindows); i++)
        {
            service.Window++;
            await CloseWindowAsync(service, cancellationToken);
        }

        service.WindowsClosed += Math.Max(0, empty - MaxEmptyWindows);
        service.Window = until;
    }

    private async Task CloseWindowAsync(ServiceLogs service, CancellationToken cancellationToken)
    {
        var at = new DateTimeOffset((service.Window + 1) * options.Window.Ticks, TimeSpan.Zero);
        var learning = service.Learning(at);
        foreach (var (template, count) in service.Counts)
        {
            var (total, first, _) = service.Rates.GetValueOrDefault(template, (0, service.WindowsClosed, 0));
            var windows = service.WindowsClosed - first;
            if (!learning && windows >= Math.Max(1, options.MinBaselineWindows))
            {
                var rate = (double)total / windows;
                var chance = Tail(count, rate);
                if (rate < options.RareRate && count >= options.MinSpikeCount && chance < options.SpikeProbability && Starts(service, "spike " + template))
                {
                    await PublishAsync(Signal(service, "LogTemplateSpike", at, Severity(chance), $"{service.Service}: {count} \"{template}\" in {Minutes(options.Window)}, usually {rate.ToString("0.##", CultureInfo.InvariantCulture)}", template), cancellationToken);
                }
            }

            service.Rates[template] = (total + count, first, service.WindowsClosed);
        }

        if (service.Rates.Count > MaxRates)
        {
            foreach (var stale in service.Rates.OrderBy(r => r.Value.LastWindow).Take(service.Rates.Count - (MaxRates * 9 / 10)).Select(r => r.Key).ToList())
            {
                service.Rates.Remove(stale);
            }

            foreach (var ended in service.Episodes.Where(e => service.WindowsClosed - e.Value > options.EpisodeGap).Select(e => e.Key).ToList())
            {
                service.Episodes.Remove(ended);
            }
        }

        if (!learning && service.WindowsClosed >= Math.Max(1, options.MinBaselineWindows) && service.Errors >= options.MinErrorBurst)
        {
            var rate = (double)service.ErrorsBefore / service.WindowsClosed;
            var chance = Tail(service.Errors, rate);
            if (chance < options.ErrorBurstProbability && Starts(service, "errors"))
            {
                await PublishAsync(Signal(service, "LogErrorBurst", at, Severity(chance), $"{service.Service}: {service.Errors} error lines in {Minutes(options.Window)}, usually {rate.ToString("0.##", CultureInfo.InvariantCulture)}"), cancellationToken);
            }
        }

        // A window of a few lines is a mix by chance (one health check among two lines): too few to judge, or to
        // learn from. A silent window is learnt (quiet is part of the usual), never judged.
        var lines = service.Counts.Values.Sum();
        var verdict = lines == 0 || lines >= options.MinPatternLines
            ? service.WindowPatterns.Observe(Vector(service.Counts.Select(c => KeyValuePair.Create(service.Key(c.Key), (double)c.Value))))
            : PatternVerdict.Known;
        if (!learning && lines > 0 && verdict is PatternVerdict.Noise or PatternVerdict.NewCluster && Starts(service, "pattern"))
        {
            var top = string.Join("; ", service.Counts.OrderByDescending(c => c.Value).Take(3).Select(c => $"{c.Value}× {c.Key}"));
            var what = verdict == PatternVerdict.Noise ? "a mix of log templates unlike any usual one" : "a new mix of log templates that keeps recurring";
            await PublishAsync(Signal(service, "LogPatternShift", at, verdict == PatternVerdict.Noise ? 0.6 : 0.5, $"{service.Service}: {what} ({top})"), cancellationToken);
        }

        service.ErrorsBefore += service.Errors;
        service.Errors = 0;
        service.Counts.Clear();
        service.WindowsClosed++;
    }

    private async Task TrackSessionAsync(ServiceLogs service, string session, DateTimeOffset at, int template, CancellationToken cancellationToken)
    {
        if (!service.Sessions.TryGetValue(session, out var open))
        {
            if (service.Sessions.Count >= options.MaxOpenSessions)
            {
                // Full: end the oldest tenth at once, so a flood of sessions costs one sort per tenth.
                foreach (var oldest in service.Sessions.OrderBy(s => s.Value.LastSeen).Take(Math.Max(1, options.MaxOpenSessions / 10)).Select(s => s.Key).ToList())
                {
                    await EndSessionAsync(service, oldest, cancellationToken);
                }
            }

            open = (at, new Dictionary<int, double>());
        }

        open.Counts[template] = open.Counts.GetValueOrDefault(template) + 1;
        service.Sessions[session] = (at, open.Counts);
    }

    private async Task EndSessionsAsync(ServiceLogs service, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        foreach (var session in service.Sessions.Where(s => s.Value.LastSeen < idleSince).Select(s => s.Key).ToList())
        {
            await EndSessionAsync(service, session, cancellationToken);
        }
    }

    private async Task EndSessionAsync(ServiceLogs service, string session, CancellationToken cancellationToken)
    {
        var (lastSeen, counts) = service.Sessions[session];
        service.Sessions.Remove(session);
        if (service.SessionPatterns.Observe(Vector(counts)) == PatternVerdict.Noise && !service.Learning(lastSeen))
        {
            var templates = string.Join("; ", counts.OrderByDescending(c => c.Value).Take(3).Select(c => $"{c.Value}× {service.Name(c.Key)}"));
            await PublishAsync(Signal(service, "LogSessionAnomaly", lastSeen, 0.6, $"{service.Service}: session {session} ran unlike the others ({templates})"), cancellationToken);
        }
    }

    /// <summary>The chance of at least <paramref name="count"/> events when <paramref name="rate"/> are expected (Poisson).</summary>
    private static double Tail(int count, double rate) => count <= 0 ? 1 : 1 - Poisson.CDF(Math.Max(rate, 0.01), count - 1);

    /// <summary>A score from a chance: 1e-6 gives 0.6, 1e-10 gives 1.</summary>
    private static double Severity(double chance) => Math.Clamp(-Math.Log10(Math.Max(chance, 1e-300)) / 10, 0, 1);

    private static string Minutes(TimeSpan window) => window.TotalMinutes == 1 ? "a minute" : $"{window.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} minutes";
}
