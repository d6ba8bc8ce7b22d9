using Medic.Demo;
using Medic.Sim.Faults;
using Medic.Testing;
using Medic.Tests.Support;
using Xunit.Abstractions;

namespace Medic.Tests.Demo;

/// <summary>The whole loop, in process, exactly as <c>medic demo</c> drives it.</summary>
public sealed class SelfHealingLoopTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Every_injected_fault_is_detected_diagnosed_and_healed_by_its_playbook(int seed)
    {
        using var dir = new TempDirectory();
        var console = new TestConsole();
        var options = FastDemo.Options(dir);
        options.Seed = seed;

        DemoReport report;
        try
        {
            report = await new DemoRunner(options, console.Console).RunAsync(CancellationToken.None);
        }
        finally
        {
            output.WriteLine(console.ToString());
        }

        var expected = new Dictionary<string, (string Playbook, string Level)>
        {
            [FaultKinds.MemoryLeak] = ("k8s-pod-oom-restart-v1", "L1"),
            [FaultKinds.BadDeploy] = ("k8s-deploy-rollback-v1", "L2"),
            [FaultKinds.NoisyNeighbour] = ("k8s-node-noisy-neighbour-drain-v1", "L1"),
        };
        Assert.Equal(expected.Keys, report.Incidents.Select(i => i.Fault));
        Assert.All(report.Incidents, i =>
        {
            Assert.True(i.Recovered, $"{i.Fault}: {i.NotHealedBecause}");
            Assert.True(i.RootCauseCorrect, $"{i.Fault}: diagnosed {i.Diagnosis}, truth {i.RootCause}");
            Assert.Equal(expected[i.Fault], (i.Playbook!, i.AutomationLevel!));
            Assert.NotEmpty(i.Actions);
            Assert.InRange(i.DetectedAfterS!.Value, 0, 900);
            Assert.InRange(i.TimeToRecoverS!.Value, i.DetectedAfterS.Value, 3600);
        });
    }
}
