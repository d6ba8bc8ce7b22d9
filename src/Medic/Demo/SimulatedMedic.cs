using System.Diagnostics;
using Medic.Composition;
using Medic.Core.Bus;
using Medic.Core.Rca;
using Medic.Core.Workflows.Kubernetes;
using Medic.Sim;
using Medic.Sim.Actions;
using Medic.Sim.Clock;
using Medic.Sim.Estate;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Spectre.Console;

namespace Medic.Demo;

/// <summary>
/// Medic wired to the simulated estate in one process: the server and every stage on the
/// simulation clock, the simulator's cluster as the Kubernetes API, and the demo's narrator and
/// approver. The demo drives it; so do the end-to-end tests.
/// </summary>
public sealed class SimulatedMedic : IAsyncDisposable
{
    /// <summary>The longest a step waits, in wall time, for the loop to handle it.</summary>
    private static readonly TimeSpan StepBudget = TimeSpan.FromSeconds(30);

    /// <summary>The simulated night starts at 02:30 UTC on a weekday: when real incidents like to happen.</summary>
    public static readonly DateTimeOffset SimulatedStart = new(2026, 11, 24, 2, 30, 0, TimeSpan.Zero);

    private SimulatedMedic(WebApplication app, SimulationClock clock)
    {
        App = app;
        Clock = clock;
        Simulator = app.Services.GetRequiredService<Simulator>();
        Monitor = app.Services.GetRequiredService<IBusMonitor>();
        Narrator = app.Services.GetRequiredService<DemoNarrator>();
    }

    /// <summary>The server.</summary>
    public WebApplication App { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>The simulated clock.</summary>
    public SimulationClock Clock { get; }

    /// <summary>The simulated estate.</summary>
    public Simulator Simulator { get; }

    /// <summary>The bus, to wait until a scrape has been handled.</summary>
    public IBusMonitor Monitor { get; }

    /// <summary>The narrator, to print the demo's own lines.</summary>
    public DemoNarrator Narrator { get; }

    /// <summary>The address the server listens on (the real port when the options asked for port 0).</summary>
    public Uri Address => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Builds and starts Medic on a fresh database with a healthy estate.</summary>
    public static async Task<SimulatedMedic> StartAsync(DemoOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        DeleteDatabase(options.DataPath);
        var clock = new SimulationClock(SimulatedStart) { DeferTimers = true };
        var medic = new MedicOptions { DataPath = options.DataPath, PlaybooksDirectory = options.PlaybooksDirectory, Urls = options.Urls, OtlpGrpcUrl = "", LogLevel = LogLevel.Warning };
        options.ConfigureServer?.Invoke(medic);
        var app = MedicServer.Build(
            medic,
            services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(new DiagnosisOptions { AwaitDeepTier = true });
                services.AddSingleton(options);
                services.AddSingleton(console);
                services.AddSingleton<DemoJournal>();
                services.AddSingleton(sp => new Simulator(options.Estate ?? DefaultEstate.Create(), clock, sp.GetRequiredService<IBus>(), new SimulatorOptions { Seed = options.Seed, HarmlessChangesPerDay = options.HarmlessChangesPerDay, TrafficSpikesPerDay = options.TrafficSpikesPerDay, TraceSampling = options.TraceSampling, LogSampling = options.LogSampling }));
                services.AddSingleton<IKubernetesApi>(sp => sp.GetRequiredService<Simulator>().Cluster);
                MedicServices.AddAction(services, sp => new SimActionProvider(sp.GetRequiredService<Simulator>()));
            },
            sinks: services =>
            {
                services.AddStage<DemoNarrator>();
                services.AddStage<DemoApprover>();
            });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new SimulatedMedic(app, clock);
    }

    /// <summary>
    /// One simulated scrape; waits until the loop has handled it, then fires the moment's timers
    /// (stage ticks, deadlines) one at a time, each handled before the next, then paces to wall
    /// time. Ticks after the data, one after the other, make a run the same on every machine:
    /// otherwise a stage's tick races the data and the ticks of the others.
    /// </summary>
    public async Task StepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        // One budget for all the waits of a step: a stage that itself waits for simulated time (a
        // workflow step's retry backoff) holds the loop busy until the step moves the clock on.
        var waited = Stopwatch.StartNew();
        await Simulator.StepAsync(cancellationToken);
        await IdleAsync(waited, cancellationToken);
        while (Clock.FireNext())
        {
            await IdleAsync(waited, cancellationToken);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task IdleAsync(Stopwatch waited, CancellationToken cancellationToken)
    {
        var left = StepBudget - waited.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Monitor.WaitForIdleAsync(cancellationToken).WaitAsync(left, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A stage is slow or waits for simulated time; carry on rather than stall. Backpressure still applies.
        }
    }

    /// <summary>Stops the server gracefully (stages drain) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}
