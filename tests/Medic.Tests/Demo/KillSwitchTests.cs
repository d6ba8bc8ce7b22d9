using System.Net.Http.Json;
using Medic.Core.Audit;
using Medic.Core.Decisions;
using Medic.Core.Storage;
using Medic.Demo;
using Medic.Sim.Faults;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Medic.Tests.Demo;

public sealed class KillSwitchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_the_kill_switch_on_a_matched_playbook_is_recorded_as_blocked_and_no_action_reaches_the_cluster()
    {
        using var dir = new TempDirectory();
        var console = new TestConsole();
        try
        {
            await using var medic = await SimulatedMedic.StartAsync(FastDemo.Options(dir), console.Console, CancellationToken.None);
            using var http = new HttpClient { BaseAddress = medic.Address };
            var engaged = await http.PostAsJsonAsync("/api/v1/killswitch", new { engaged = true, by = "sre-oncall", reason = "game day" });
            engaged.EnsureSuccessStatusCode();

            for (var i = 0; i < 120; i++)
            {
                await medic.StepAsync(TimeSpan.Zero, CancellationToken.None);
            }

            medic.Simulator.Inject(FaultKinds.MemoryLeak);
            var decisions = medic.Services.GetRequiredService<IDecisionStore>();
            var incidents = medic.Services.GetRequiredService<IIncidentStore>();
            Decision? blocked = null;
            for (var i = 0; i < 200 && blocked is null; i++)
            {
                await medic.StepAsync(TimeSpan.Zero, CancellationToken.None);
                foreach (var incident in await incidents.ListAsync(activeOnly: false, 10, CancellationToken.None))
                {
                    blocked ??= (await decisions.ListByIncidentAsync(incident.Id, CancellationToken.None)).FirstOrDefault(d => d.PlaybookId is not null);
                }
            }

            Assert.NotNull(blocked);
            Assert.Equal(DecisionStatus.Blocked, blocked.Status);
            Assert.Equal("k8s-pod-oom-restart-v1", blocked.PlaybookId);
            Assert.Equal("kill switch is on: recorded, nothing executed", blocked.Reason);
            Assert.Empty(await medic.Services.GetRequiredService<IRunStore>().ListByIncidentAsync(blocked.IncidentId, CancellationToken.None));
            Assert.DoesNotContain(medic.Simulator.Cluster.ApiCalls, call => !call.StartsWith("LIST ", StringComparison.Ordinal));
            var audit = await medic.Services.GetRequiredService<IAuditLog>().ListAsync(0, 100, CancellationToken.None);
            Assert.Contains(audit, e => e.Action == "killswitch.engaged" && e.Actor == "sre-oncall");
            Assert.Contains(audit, e => e.Action == "decision.blocked" && e.Subject == blocked.Id);
            Assert.DoesNotContain(audit, e => e.Action.StartsWith("action.", StringComparison.Ordinal));
            var timeline = await incidents.GetTimelineAsync(blocked.IncidentId, CancellationToken.None);
            Assert.Contains(timeline, t => t.Kind == "decision" && t.Message.Contains("kill switch is on", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine(console.ToString());
        }
    }
}
