using BenchmarkDotNet.Attributes;
using Medic.Composition;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medic.Benchmarks.Web;

/// <summary>
/// The console's pages on a real server (Kestrel on 127.0.0.1, SQLite) with 1,000 incidents in the
/// store, each diagnosed, with a decision and a timeline: the front page (the 200 newest) and one
/// incident's page. Measured end to end over HTTP on the same machine, so the figures include
/// the loopback round trip: the server's own time is at most this.
/// </summary>
[MemoryDiagnoser]
public class ConsolePageBenchmarks
{
    private const int Incidents = 1_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 3, 0, 0, TimeSpan.Zero);
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _dir = "";
    private string _incident = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dir = Directory.CreateTempSubdirectory("medic-console-bench-").FullName;
        _app = MedicServer.Build(new MedicOptions
        {
            Urls = "http://127.0.0.1:0",
            OtlpGrpcUrl = "",
            DataPath = Path.Combine(_dir, "medic.db"),
            PlaybooksDirectory = Path.Combine(_dir, "playbooks"),
            PlaybookReloadInterval = TimeSpan.Zero,
            LogLevel = LogLevel.Warning,
        });
        await _app.StartAsync();
        var incidents = _app.Services.GetRequiredService<IIncidentStore>();
        var decisions = _app.Services.GetRequiredService<IDecisionStore>();
        for (var i = 0; i < Incidents; i++)
        {
            var service = $"svc-{i % 50}";
            var top = new Hypothesis(new Entity(EntityKinds.Service, service) { Service = service }, "latency", 1.2, 0.9, ["strongest: latency", "explains anomalies of frontend"]) { Story = $"service_latency_p99_seconds of service/{service} rose to 850 ms" };
            var incident = new Incident
            {
                Id = $"i-{i:D5}",
                State = i % 10 == 0 ? IncidentState.Diagnosed : IncidentState.Resolved,
                Title = $"HighLatency on service/{service} and 12 related signals",
                OpenedAt = Start.AddMinutes(i),
                UpdatedAt = Start.AddMinutes(i),
                LastSignalAt = Start.AddMinutes(i),
                Services = [service, "frontend"],
                RootCause = top,
            };
            await incidents.CreateAsync(incident, CancellationToken.None);
            for (var e = 0; e < 20; e++)
            {
                await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, Start.AddMinutes(i).AddSeconds(e), "detect", "signal", $"service_latency_p99_seconds of service/{service} is {e} ms above the band"), CancellationToken.None);
            }

            await decisions.SaveAsync(new Decision { Id = $"d-{i:D5}", IncidentId = incident.Id, CreatedAt = Start.AddMinutes(i), Status = DecisionStatus.AwaitingApproval, Level = AutomationLevel.L1, Reason = "approval required", PlaybookId = "k8s-pod-oom-restart-v1", RootCause = top }, CancellationToken.None);
        }

        _incident = $"/incidents/i-{Incidents - 1:D5}";
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public Task<string> IncidentList() => _http.GetStringAsync("/");

    [Benchmark]
    public Task<string> IncidentPage() => _http.GetStringAsync(_incident);
}
