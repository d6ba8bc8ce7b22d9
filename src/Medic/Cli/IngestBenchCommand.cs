using System.CommandLine;
using System.Text.Json.Nodes;
using Medic.Bench;

namespace Medic.Cli;

/// <summary><c>medic bench ingest</c>: remote_write and OTLP load on loopback against a whole Medic server.</summary>
internal static class IngestBenchCommand
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long each phase (remote_write, then OTLP) runs.", DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json") { Description = "Also write {\"remote_write_samples_per_s\",\"otlp_samples_per_s\",\"p99_ms\",\"bytes_per_sample\"} to this file." };
        var series = new Option<int>("--series") { Description = "Series each phase sends (20 metrics of as many pods as it takes).", DefaultValueFactory = _ => 10_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent senders, like remote_write shards.", DefaultValueFactory = _ => 4 };
        var command = new Command("ingest", "Send remote_write batches of 2,000 samples, then OTLP/HTTP protobuf exports, to a Medic on loopback; report accepted samples/s, request latency and memory per retained sample.")
        {
            seconds, json, series, senders,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new IngestBenchOptions
            {
                Duration = TimeSpan.FromSeconds(result.GetValue(seconds)),
                Series = result.GetValue(series),
                Senders = result.GetValue(senders),
            };
            if (options.Duration <= TimeSpan.Zero || options.Series <= 0 || options.Senders <= 0)
            {
                await Console.Error.WriteLineAsync("medic bench ingest: --seconds, --series and --senders must be positive");
                return 1;
            }

            var report = await IngestBenchmark.RunAsync(options, line => Console.Error.WriteLine(line), cancellationToken);
            foreach (var (name, phase) in new[] { ("remote_write", report.RemoteWrite), ("otlp", report.Otlp) })
            {
                await Console.Out.WriteLineAsync(
                    $"{name,-12} {phase.PerSecond,12:N0} samples/s accepted   p50 {IngestBenchResult.Percentile(phase.LatenciesMs, 0.5),6:0.0} ms   p99 {IngestBenchResult.Percentile(phase.LatenciesMs, 0.99),6:0.0} ms   {phase.LatenciesMs.Count:N0} requests, {phase.Throttled:N0} answered 429");
            }

            var memory = report.Memory;
            await Console.Out.WriteLineAsync(
                $"memory       {memory.BytesPerSample,12:0.00} bytes per retained sample in the store at steady state ({memory.Samples:N0} samples, {memory.Samples / Math.Max(1, memory.Series):N0} a series; chunks alone {(double)memory.ChunkBytes / memory.Samples:0.00}; whole server {(double)memory.ServerBytes / memory.Samples:0.00})");
            if (result.GetValue(json) is { } path)
            {
                var figures = new JsonObject
                {
                    ["remote_write_samples_per_s"] = Math.Round(report.RemoteWrite.PerSecond),
                    ["otlp_samples_per_s"] = Math.Round(report.Otlp.PerSecond),
                    ["p99_ms"] = Math.Round(report.Percentile(0.99), 2),
                    ["bytes_per_sample"] = Math.Round(report.Memory.BytesPerSample, 3),
                };
                await File.WriteAllTextAsync(path, figures.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
