using Medic.Sim;
using Medic.Sim.Clock;
using Medic.Sim.Estate;

namespace Medic.SimWire;

/// <summary>What a run over the wire sent.</summary>
internal sealed record SimWireResult(long Samples, int Changes, long Spans, long Logs, IReadOnlyList<string> Injected);

/// <summary>
/// Plays a scenario on the simulated estate and sends its telemetry to a Medic server over the
/// wire, as real exporters would: the estate's clock starts now and runs <c>speed</c> times faster
/// than real time (1: real time, the scrape every 10 s).
/// </summary>
internal static class SimWireRunner
{
    public static async Task<SimWireResult> RunAsync(Uri target, EstateSpec estate, Scenario scenario, SimulatorOptions options, double speed, Action<string> progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        if (Environment.GetEnvironmentVariable(Cli.ServerClient.TokenVariable) is { Length: > 0 } token)
        {
            // A server with sign-in on takes telemetry from a token it knows.
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        var bus = new WireBus(http);
        var clock = new SimulationClock(TimeProvider.System.GetUtcNow());
        var simulator = new Simulator(estate, clock, bus, options);
        var start = clock.GetUtcNow();
        var pending = new Queue<ScenarioFault>(scenario.Faults);
        var injected = new List<string>();
        var nextReport = TimeSpan.FromMinutes(5);
        while (clock.GetUtcNow() - start < scenario.Duration)
        {
            while (pending.TryPeek(out var due) && clock.GetUtcNow() - start >= due.At)
            {
                var fault = simulator.Inject(pending.Dequeue().Kind);
                injected.Add($"{fault.Kind} on {fault.Truth.Kind}/{fault.Truth.Name}");
                progress($"{clock.GetUtcNow() - start:hh\\:mm\\:ss} inject {fault.Kind}: {fault.Description}");
            }

            await simulator.StepAsync(cancellationToken);
            if (clock.GetUtcNow() - start >= nextReport)
            {
                progress($"{clock.GetUtcNow() - start:hh\\:mm\\:ss} sent {bus.Samples:N0} samples, {bus.Spans:N0} spans, {bus.Logs:N0} log lines and {bus.Changes} changes");
                nextReport += TimeSpan.FromMinutes(5);
            }

            await Task.Delay(options.ScrapeInterval / speed, cancellationToken);
        }

        return new SimWireResult(bus.Samples, bus.Changes, bus.Spans, bus.Logs, injected);
    }
}
