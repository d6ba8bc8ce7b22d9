using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Medic.Bench;

/// <summary>A request the load generator sends again and again, a step later each time.</summary>
internal interface ILoadBatch
{
    /// <summary>Samples (or data points) in the request.</summary>
    int Samples { get; }

    /// <summary>Moves the batch to <paramref name="timestamp"/> (Unix ms) and writes the body into <paramref name="buffer"/>; returns its length.</summary>
    int Next(long timestamp, Random random, ref byte[] buffer);
}

/// <summary>What one phase of the load measured.</summary>
/// <param name="Accepted">Samples the server accepted.</param>
/// <param name="Elapsed">From the first request to the last answer.</param>
/// <param name="LatenciesMs">Latency of each accepted request.</param>
/// <param name="Throttled">429 answers (the request was sent again).</param>
internal sealed record PhaseResult(long Accepted, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs, long Throttled)
{
    /// <summary>Accepted samples per second.</summary>
    public double PerSecond => Accepted / Elapsed.TotalSeconds;
}

/// <summary>
/// Sends batches to one endpoint from several concurrent senders, as remote_write shards or
/// collector exporters do: each sender owns some batches, and each batch moves one step (15 s of
/// the estate's time) with every round, so every series moves forward in time. A 429 is retried
/// after a short pause, as Prometheus does.
/// </summary>
internal sealed class LoadPhase(HttpClient http, Uri url, string contentType, string? contentEncoding, Func<HttpResponseMessage, ILoadBatch, Task<int>> accepted, IReadOnlyList<ILoadBatch> batches, long start)
{
    /// <summary>Scrape interval of the simulated estate.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan ThrottlePause = TimeSpan.FromMilliseconds(50);
    private readonly long[] _rounds = new long[batches.Count];

    /// <summary>Rounds the batch that is furthest behind has been sent.</summary>
    public long Rounds => _rounds.Min();

    /// <summary>Rounds the batch that is furthest ahead has been sent (a sender may own more batches than another).</summary>
    public long MostRounds => _rounds.Max();

    /// <summary>The time of the newest sample sent (Unix ms).</summary>
    public long LastTimestamp => start + (MostRounds * (long)Step.TotalMilliseconds);

    /// <summary>Sends every batch once, at the start time: first sight of every series, outside any timing.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var buffer = Array.Empty<byte>();
        var random = new Random(0);
        foreach (var batch in batches)
        {
            var length = batch.Next(start, random, ref buffer);
            await SendAsync(batch, buffer, length, cancellationToken);
        }
    }

    /// <summary>Sends rounds for <paramref name="duration"/>.</summary>
    public Task<PhaseResult> RunAsync(int senders, TimeSpan duration, Action<long, TimeSpan> progress, CancellationToken cancellationToken) =>
        SendAsync(senders, (elapsed, _) => elapsed < duration, progress, cancellationToken);

    /// <summary>Sends rounds until every batch has had <paramref name="rounds"/>.</summary>
    public Task<PhaseResult> FillAsync(int senders, long rounds, Action<long, TimeSpan> progress, CancellationToken cancellationToken) =>
        SendAsync(senders, (_, sent) => sent < rounds, progress, cancellationToken);

    private async Task<PhaseResult> SendAsync(int senders, Func<TimeSpan, long, bool> more, Action<long, TimeSpan> progress, CancellationToken cancellationToken)
    {
        long accepted = 0, throttled = 0;
        var watch = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportAsync();
        var work = Enumerable.Range(0, Math.Min(senders, batches.Count)).Select(async sender =>
        {
            var own = Enumerable.Range(0, batches.Count).Where(i => i % senders == sender).ToList();
            var latencies = new List<double>();
            var buffer = Array.Empty<byte>();
            var random = new Random(sender + 1);
            for (var sent = true; sent;)
            {
                sent = false;
                foreach (var index in own.Where(i => more(watch.Elapsed, _rounds[i])))
                {
                    var batch = batches[index];
                    var length = batch.Next(start + (++_rounds[index] * (long)Step.TotalMilliseconds), random, ref buffer);
                    while (true)
                    {
                        var began = Stopwatch.GetTimestamp();
                        var (samples, retry) = await SendAsync(batch, buffer, length, cancellationToken);
                        if (!retry)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                            Interlocked.Add(ref accepted, samples);
                            break;
                        }

                        Interlocked.Increment(ref throttled);
                        await Task.Delay(ThrottlePause, cancellationToken);
                    }

                    sent = true;
                }
            }

            return latencies;
        }).ToList();
        var all = await Task.WhenAll(work);
        var elapsed = watch.Elapsed;
        await stop.CancelAsync();
        await reporter;
        return new PhaseResult(accepted, elapsed, [.. all.SelectMany(l => l)], throttled);

        async Task ReportAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
                    progress(Interlocked.Read(ref accepted), watch.Elapsed);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<(int Samples, bool Retry)> SendAsync(ILoadBatch batch, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(buffer, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        using var response = await http.PostAsync(url, content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return (0, true);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url.AbsolutePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await accepted(response, batch), false);
    }
}
