using System.Runtime;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics;
using Medic.Adapters.Ingest;
using Medic.Composition;
using Medic.Core.Bus;
using Medic.Core.Telemetry.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Medic.Bench;

/// <summary>Settings of <c>medic bench ingest</c>.</summary>
internal sealed record IngestBenchOptions
{
    /// <summary>How long each phase (remote_write, then OTLP) runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Series of each phase's estate.</summary>
    public int Series { get; init; } = 10_000;

    /// <summary>Samples a request: Prometheus' default <c>max_samples_per_send</c>.</summary>
    public int BatchSize { get; init; } = 2_000;

    /// <summary>Concurrent senders, like remote_write shards.</summary>
    public int Senders { get; init; } = 4;
}

/// <summary>What <c>medic bench ingest</c> measured.</summary>
/// <param name="RemoteWrite">The remote_write phase.</param>
/// <param name="Otlp">The OTLP phase.</param>
/// <param name="Memory">The series store once the remote_write estate filled its retention.</param>
internal sealed record IngestBenchResult(PhaseResult RemoteWrite, PhaseResult Otlp, SteadyState Memory)
{
    /// <summary>Latency percentile (0 to 1) over every accepted request of both phases.</summary>
    public double Percentile(double p) => Percentile([.. RemoteWrite.LatenciesMs, .. Otlp.LatenciesMs], p);

    /// <summary>Nearest-rank percentile of <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>Memory at steady state: every series holds a full retention window of samples.</summary>
/// <param name="Samples">Samples retained.</param>
/// <param name="Series">Series retained.</param>
/// <param name="StoreBytes">What the store frees when it lets go of every series: chunks, series, index.</param>
/// <param name="ServerBytes">What the whole server grew by from before the load: the store, label sets, every stage's state.</param>
/// <param name="ChunkBytes">The compressed chunks alone.</param>
internal sealed record SteadyState(long Samples, int Series, long StoreBytes, long ServerBytes, long ChunkBytes)
{
    /// <summary>Store memory per retained sample.</summary>
    public double BytesPerSample => (double)StoreBytes / Samples;
}

/// <summary>
/// <c>medic bench ingest</c>: starts a whole Medic server on loopback (every stage running), sends
/// it remote_write load, fills the retention so every series holds a full window (steady state),
/// measures the memory per retained sample, then sends OTLP/HTTP protobuf load.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>Untimed load before each phase's measurement, for the JIT to finish compiling the hot paths.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task<IngestBenchResult> RunAsync(IngestBenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("medic-bench-ingest-");
        try
        {
            var playbooks = Directory.CreateDirectory(Path.Combine(dir.FullName, "playbooks")).FullName;
            await using var app = MedicServer.Build(new MedicOptions
            {
                Urls = "http://127.0.0.1:0",
                OtlpGrpcUrl = "",
                DataPath = Path.Combine(dir.FullName, "medic.db"),
                PlaybooksDirectory = playbooks,
                PlaybookReloadInterval = TimeSpan.Zero,
                LogLevel = LogLevel.Warning,
            });
            await app.StartAsync(cancellationToken);
            try
            {
                var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Senders, UseProxy = false }) { Timeout = TimeSpan.FromMinutes(1) };
                var store = app.Services.GetRequiredService<SeriesStore>();
                var resolver = app.Services.GetRequiredService<SeriesResolver>();
                var bus = app.Services.GetRequiredService<IBusMonitor>();
                var before = Heap();

                // The estate's time starts one retention ago, so a full window ends about now.
                var retention = app.Services.GetRequiredService<SeriesStoreOptions>().Retention;
                var start = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().Add(-retention).AddMinutes(1).ToUnixTimeMilliseconds();
                var estate = EstateSeries.Create(options.Series);
                var remoteWrite = new LoadPhase(
                    http,
                    new Uri(address, "/api/v1/write"),
                    "application/x-protobuf",
                    "snappy",
                    (_, batch) => Task.FromResult(batch.Samples),
                    [.. estate.Chunk(options.BatchSize).Select(c => RemoteWriteLoad.Create(c))],
                    start);
                var rw = await RunPhaseAsync("remote_write", remoteWrite);
                var memory = await SteadyStateAsync(remoteWrite, (long)(retention / LoadPhase.Step));

                var otlp = new LoadPhase(
                    http,
                    new Uri(address, "/v1/metrics"),
                    "application/x-protobuf",
                    null,
                    async (response, batch) =>
                    {
                        var answer = ExportMetricsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                        return batch.Samples - (int)(answer.PartialSuccess?.RejectedDataPoints ?? 0);
                    },
                    [.. estate.Chunk(options.BatchSize).Select(c => OtlpLoad.Create(c, start * 1_000_000))],
                    start);
                var ot = await RunPhaseAsync("otlp", otlp);
                return new IngestBenchResult(rw, ot, memory);

                async Task<SteadyState> SteadyStateAsync(LoadPhase phase, long window)
                {
                    // Every series up to the same time, a whole retention of it.
                    var rounds = Math.Max(window, phase.MostRounds);
                    if (phase.Rounds < rounds)
                    {
                        progress($"remote_write: filling the {retention.TotalHours:0.#} h retention ({window:N0} samples a series) for steady state");
                        await phase.FillAsync(options.Senders, rounds, (accepted, elapsed) => progress($"remote_write fill: {elapsed.TotalSeconds:0} s, {phase.Rounds:N0} of {rounds:N0} rounds"), cancellationToken);
                    }

                    progress("waiting for the pipeline to catch up, then measuring memory");
                    await bus.WaitForIdleAsync(cancellationToken);
                    store.Compact(phase.LastTimestamp);
                    var (chunkBytes, samples) = store.Footprint();
                    var series = store.SeriesCount;
                    var loaded = Heap();

                    // What letting go of every series frees is what the store holds for them.
                    store.Compact(long.MaxValue);
                    resolver.Purge();
                    var released = Heap();
                    return new SteadyState(samples, series, loaded - released, loaded - before, chunkBytes);
                }

                async Task<PhaseResult> RunPhaseAsync(string name, LoadPhase phase)
                {
                    progress($"{name}: first sight of {options.Series:N0} series");
                    await phase.WarmUpAsync(cancellationToken);

                    // As any benchmark does, measure compiled, warmed code: the same load, untimed, first.
                    var warmUp = options.Duration < WarmUp ? options.Duration : WarmUp;
                    progress($"{name}: warming up for {warmUp.TotalSeconds:0} s");
                    await phase.RunAsync(options.Senders, warmUp, (_, _) => { }, cancellationToken);
                    progress($"{name}: {options.Senders} senders, batches of {options.BatchSize:N0}, {options.Duration.TotalSeconds:0} s");
                    return await phase.RunAsync(
                        options.Senders,
                        options.Duration,
                        (accepted, elapsed) => progress($"{name}: {elapsed.TotalSeconds:0} s, {accepted / elapsed.TotalSeconds:N0} samples/s"),
                        cancellationToken);
                }
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static long Heap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
