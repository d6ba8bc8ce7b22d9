using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Sim;
using Medic.Sim.Estate;
using Medic.SimWire;
using Medic.Tests.Support;

namespace Medic.Tests.Sim;

/// <summary>The simulated estate sending to a running Medic over HTTP, as remote_write, OTLP traces and logs, and change events.</summary>
public sealed class SimOverTheWireTests
{
    [Fact]
    public async Task A_scenario_reaches_a_running_medic_as_remote_write_and_change_events_values_and_labels_intact()
    {
        await using var medic = await TestServer.StartAsync();
        var scenario = new Scenario(TimeSpan.FromMinutes(4), [new ScenarioFault(TimeSpan.FromMinutes(2), "bad-deploy")]);

        var sent = await SimWireRunner.RunAsync(medic.Address, DefaultEstate.Create(), scenario, new SimulatorOptions { Seed = 1, TraceSampling = 0.01, LogSampling = 0.01 }, speed: 2_000, _ => { }, CancellationToken.None);

        Assert.Equal(1, sent.Changes);
        var service = sent.Injected.Single().Split('/')[^1];
        var errors = (await medic.Http.GetFromJsonAsync<JsonObject>($"/api/v1/samples?match=service_error_ratio{{service=\"{service}\",namespace=\"shop\"}}&from=0&to=9999999999"))!["series"]!.AsArray();
        var values = Assert.Single(errors)!["samples"]!.AsArray().Select(s => double.Parse(s![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(24, values.Count);
        Assert.True(values[..10].Max() < 0.05 && values[^5..].Min() > 0.15, string.Join(", ", values));
        Assert.True(sent.Samples > 24 * 100);

        // The traced requests' spans, as OTLP: the service graph and the pods' placement come from them.
        Assert.True(sent.Spans > 0);
        var topology = (await medic.Http.GetFromJsonAsync<JsonObject>("/api/v1/topology"))!;
        var edges = topology["edges"]!.AsArray().Where(e => e!["source"]!.GetValue<string>() == "spans").Select(e => $"{e!["from"]}->{e["to"]}").ToList();
        Assert.Contains("frontend->checkout", edges);
        Assert.Contains("checkout->postgres", edges);
        Assert.Contains(topology["deployment"]!["pods"]!.AsArray(), p => p!["service"]!.GetValue<string>() == "frontend" && p["zone"] is not null);

        // Log lines, as OTLP: every export was accepted (a refusal fails the run).
        Assert.True(sent.Logs > 0);
    }
}
