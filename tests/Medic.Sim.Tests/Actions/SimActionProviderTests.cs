using Medic.Core.Workflows;
using Medic.Sim.Actions;
using Medic.Sim.Clock;
using Medic.Sim.Estate;
using Medic.Sim.Faults;
using Medic.Testing;

namespace Medic.Sim.Tests.Actions;

public sealed class SimActionProviderTests
{
    private readonly Simulator _sim = new(DefaultEstate.Create(), new SimulationClock(new DateTimeOffset(2026, 1, 5, 3, 0, 0, TimeSpan.Zero)), new RecordingBus(), new SimulatorOptions { Seed = 3 });

    [Fact]
    public async Task A_game_day_step_injects_a_fault_with_its_ground_truth()
    {
        var result = await new SimActionProvider(_sim).ExecuteAsync(Request(new() { ["verb"] = "inject_fault", ["kind"] = FaultKinds.NoisyNeighbour }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var fault = Assert.Single(_sim.Injected);
        Assert.Equal(fault.Truth.Name, result.Output!["root_cause"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stopping_the_host_processes_of_a_noisy_node_ends_the_noise()
    {
        var provider = new SimActionProvider(_sim);
        var node = _sim.Inject(FaultKinds.NoisyNeighbour).Truth.Name;

        var first = await provider.ExecuteAsync(Request(new() { ["verb"] = "stop_host_processes", ["node"] = node }), CancellationToken.None);
        var again = await provider.ExecuteAsync(Request(new() { ["verb"] = "stop_host_processes", ["node"] = node }), CancellationToken.None);

        Assert.True(first.Output!["stopped"]!.GetValue<bool>());
        Assert.False(again.Output!["stopped"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("inject_fault", "kind", "meteor", "params.kind: 'meteor' is not a fault kind")]
    [InlineData("stop_host_processes", "node", "node-99", "params.node: 'node-99' is not a node of the estate")]
    [InlineData("reboot", "node", "node-1", "params.verb: 'reboot' is not a sim verb")]
    public async Task Bad_parameters_fail_permanently_with_what_to_use(string verb, string key, string value, string error)
    {
        var result = await new SimActionProvider(_sim).ExecuteAsync(Request(new() { ["verb"] = verb, [key] = value }), CancellationToken.None);

        Assert.False(result.Retryable);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    private static ActionRequest Request(Dictionary<string, object?> parameters) => new("r", "s", "r:s:1", parameters);
}
