using Medic.Sim.Faults;

namespace Medic.Demo;

/// <summary>Settings of <c>medic demo</c>.</summary>
public sealed class DemoOptions
{
    /// <summary>Upper bound on the demo's wall-clock time. Default 150 seconds.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>Seeds the simulator. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Where the API listens while the demo runs. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Where to write the JSON report; null writes none.</summary>
    public string? JsonPath { get; set; }

    /// <summary>Ask the person at the terminal to approve L1 decisions instead of approving after a pause.</summary>
    public bool Interactive { get; set; }

    /// <summary>Whether the demo approves L1 actions for the on-call engineer. Off: people approve (console, API, Slack). Default on.</summary>
    public bool ApprovesForPeople { get; set; } = true;

    /// <summary>The demo's own database, recreated at every run. Default <c>data/demo.db</c>.</summary>
    public string DataPath { get; set; } = Path.Combine("data", "demo.db");

    /// <summary>The playbook directory. Default <c>playbooks</c>.</summary>
    public string PlaybooksDirectory { get; set; } = "playbooks";

    /// <summary>The faults to inject, in order. Default: <see cref="FaultKinds.Demo"/>.</summary>
    public IReadOnlyList<string> Faults { get; set; } = FaultKinds.Demo;

    /// <summary>Harmless deploys and configuration changes a simulated day. Default 0.</summary>
    public double HarmlessChangesPerDay { get; set; }

    /// <summary>Harmless traffic spikes a simulated day. Default 0.</summary>
    public double TrafficSpikesPerDay { get; set; }

    /// <summary>The estate to simulate. Default: the built-in default estate.</summary>
    public Sim.Estate.EstateSpec? Estate { get; set; }

    /// <summary>Wall-clock pause between two simulated scrapes (10 simulated seconds each). Default 50 ms, i.e. 200× real time.</summary>
    public TimeSpan TickDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long an L1 approval visibly waits before the demo grants it. Default 2 seconds.</summary>
    public TimeSpan ApprovalPause { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Simulated time of normal traffic before the first fault, so detectors know normal. Default 30 minutes.</summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Simulated time after one fault's incident closes before the next fault. Default 5 minutes.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Simulated time a fault gets to be detected and healed before the demo moves on. Default 60 minutes.</summary>
    public TimeSpan FaultTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// The share of the estate's requests traced (their spans feed the service graph and show where
    /// failed requests start). Default 2%; game days trace 1%.
    /// </summary>
    public double TraceSampling { get; set; } = 0.02;

    /// <summary>
    /// Log lines the estate writes, as a share of requests. Default 0: log signals on their own still
    /// open incidents that swallow the next fault's signals (docs/benchmarks.md).
    /// </summary>
    public double LogSampling { get; set; }

    /// <summary>Changes to the server's options (channels, policy) before it starts: drills and tests use it.</summary>
    public Action<Composition.MedicOptions>? ConfigureServer { get; set; }
}
