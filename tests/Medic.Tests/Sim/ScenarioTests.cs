using Medic.SimWire;
using Medic.Testing;

namespace Medic.Tests.Sim;

public sealed class ScenarioTests
{
    [Fact]
    public void The_shipped_scenario_loads_with_its_faults_in_order()
    {
        var scenario = Scenario.Load(Path.Combine(RepoPaths.Root, "sim", "scenarios", "three-faults.yaml"));

        Assert.Equal(TimeSpan.FromHours(2), scenario.Duration);
        Assert.Equal(["bad-deploy", "db-lock-contention", "cache-failure"], scenario.Faults.Select(f => f.Kind));
        Assert.Equal(TimeSpan.FromMinutes(20), scenario.Faults[0].At);
    }

    [Fact]
    public void Every_mistake_is_reported_with_where_it_is()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.yaml");
        File.WriteAllText(path, "duration: forever\nfaults:\n  - {at: soon, kind: meteor}\n");

        var error = Assert.Throws<InvalidDataException>(() => Scenario.Load(path)).Message;

        Assert.Contains("duration: 'forever' is not a duration; write e.g. 2h", error, StringComparison.Ordinal);
        Assert.Contains("faults[0].at: 'soon' is not a time after the start; write e.g. 30m", error, StringComparison.Ordinal);
        Assert.Contains("faults[0].kind: 'meteor' is not a fault kind; use one of memory-leak", error, StringComparison.Ordinal);
    }
}
