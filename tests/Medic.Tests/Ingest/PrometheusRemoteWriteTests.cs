using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Ingest;

/// <summary>Debian's real Prometheus scrapes a target on 127.0.0.1 and remote-writes into a running Medic.</summary>
public sealed class PrometheusRemoteWriteTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LoopbackReceiver _target = null!;
    private TestServer _medic = null!;

    public async Task InitializeAsync()
    {
        _target = await LoopbackReceiver.StartAsync();
        _target.Respond = _ => Task.FromResult(new Reply(200, """
            # HELP demo_requests_total Requests served.
            # TYPE demo_requests_total counter
            demo_requests_total{service="cart",code="200"} 42
            # HELP demo_temperature A gauge.
            # TYPE demo_temperature gauge
            demo_temperature{room="a"} 21.5

            """));
        _medic = await TestServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _medic.DisposeAsync();
        await _target.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Scraped_samples_arrive_through_remote_write_with_values_and_labels_intact()
    {
        await File.WriteAllTextAsync(_dir.File("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: demo
                static_configs:
                  - targets: ['{_target.Address.Authority}']
            remote_write:
              - url: {_medic.Address}api/v1/write
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """);
        using var prometheus = ServerProcess.Start(
            "/usr/bin/prometheus",
            $"--config.file={_dir.File("prometheus.yml")}",
            $"--storage.tsdb.path={_dir.File("data")}",
            $"--web.listen-address=127.0.0.1:{ServerProcess.FreePort()}");

        var temperature = await WaitForSeriesAsync("demo_temperature", prometheus);
        var requests = await WaitForSeriesAsync("demo_requests_total", prometheus);

        Assert.Equal("21.5", temperature["samples"]![0]![1]!.GetValue<string>());
        Assert.Equal("a", temperature["labels"]!["room"]!.GetValue<string>());
        Assert.Equal("demo", temperature["labels"]!["job"]!.GetValue<string>());
        Assert.Equal("demo", temperature["labels"]!["service"]!.GetValue<string>()); // no service label: the job names it
        Assert.Equal(_target.Address.Authority, temperature["labels"]!["instance"]!.GetValue<string>());
        Assert.Equal("42", requests["samples"]![0]![1]!.GetValue<string>());
        Assert.Equal("cart", requests["labels"]!["service"]!.GetValue<string>());
        Assert.Equal("200", requests["labels"]!["code"]!.GetValue<string>());
    }

    private async Task<JsonObject> WaitForSeriesAsync(string name, ServerProcess prometheus)
    {
        for (var i = 0; i < 600; i++)
        {
            var result = await _medic.Http.GetFromJsonAsync<JsonObject>($"/api/v1/samples?match={name}");
            if (result!["series"]!.AsArray() is [JsonObject first, ..])
            {
                return first;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name} never reached Medic (a hang guard). Prometheus said:\n{prometheus.Output}");
    }
}
