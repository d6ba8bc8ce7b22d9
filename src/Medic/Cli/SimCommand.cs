using System.CommandLine;
using Medic.Sim;
using Medic.Sim.Estate;
using Medic.SimWire;

namespace Medic.Cli;

/// <summary><c>medic sim --target URL</c>: the simulated estate's telemetry sent to a Medic server over the wire.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "The Medic server to send to, e.g. http://127.0.0.1:8080.", Required = true };
        var estate = new Option<string?>("--estate") { Description = "An estate YAML file (sim/estates/*.yaml); default: the built-in default estate." };
        var scenario = new Option<string?>("--scenario") { Description = "A scenario YAML file: duration and faults (at, kind); default: half an hour without faults." };
        var seed = new Option<int>("--seed") { Description = "Seed of the estate's noise and of the faults' targets.", DefaultValueFactory = _ => 1 };
        var speed = new Option<double>("--speed") { Description = "How much faster than real time the estate runs (1: a scrape every 10 s).", DefaultValueFactory = _ => 1 };
        var sampling = new Option<double>("--trace-sampling") { Description = "The share of requests traced; their spans go as OTLP to /v1/traces (0: none).", DefaultValueFactory = _ => 0.01 };
        var logSampling = new Option<double>("--log-sampling") { Description = "Log lines written, as a share of requests; they go as OTLP to /v1/logs (0: none).", DefaultValueFactory = _ => 0.01 };
        var command = new Command("sim", "Run the simulated estate and send its telemetry to a Medic server as Prometheus remote_write, OTLP traces and logs, and change events, playing a scenario of faults.") { target, estate, scenario, seed, speed, sampling, logSampling };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Uri.TryCreate(result.GetValue(target), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"medic sim: --target '{result.GetValue(target)}' is not an http(s) URL");
                return 1;
            }

            if (result.GetValue(speed) is not (> 0 and <= 10_000))
            {
                await Console.Error.WriteLineAsync("medic sim: --speed must be above 0 and at most 10000");
                return 1;
            }

            EstateSpec spec;
            Scenario play;
            try
            {
                spec = result.GetValue(estate) is { } e ? EstateFile.Load(e) : DefaultEstate.Create();
                play = result.GetValue(scenario) is { } s ? Scenario.Load(s) : Scenario.Quiet;
            }
            catch (Exception e) when (e is EstateFileException or InvalidDataException or IOException)
            {
                await Console.Error.WriteLineAsync($"medic sim: {e.Message}");
                return 1;
            }

            try
            {
                foreach (var (option, name) in new[] { (sampling, "--trace-sampling"), (logSampling, "--log-sampling") })
                {
                    if (result.GetValue(option) is < 0 or > 1)
                    {
                        await Console.Error.WriteLineAsync($"medic sim: {name} is a share between 0 and 1");
                        return 1;
                    }
                }

                var options = new SimulatorOptions { Seed = result.GetValue(seed), TraceSampling = result.GetValue(sampling), LogSampling = result.GetValue(logSampling) };
                var sent = await SimWireRunner.RunAsync(url, spec, play, options, result.GetValue(speed), line => Console.Error.WriteLine(line), cancellationToken);
                await Console.Out.WriteLineAsync($"sent {sent.Samples:N0} samples, {sent.Spans:N0} spans, {sent.Logs:N0} log lines and {sent.Changes} changes to {url}; injected {(sent.Injected.Count == 0 ? "no faults" : string.Join("; ", sent.Injected))}");
                return 0;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"medic sim: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
