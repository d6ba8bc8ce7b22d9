using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Core.Bus;
using Medic.Core.Signals;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Ingest;

/// <summary>Debian's real Alertmanager posts its webhook into a running Medic: firing, then resolved.</summary>
public sealed class AlertmanagerWebhookTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestServer _medic = null!;

    // New signals wait two seconds together, not thirty, so the test does not wait for nothing.
    public async Task InitializeAsync() => _medic = await TestServer.StartAsync(configure: o => o.Correlation.GroupWait = TimeSpan.FromSeconds(2));

    public async Task DisposeAsync()
    {
        await _medic.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_firing_alert_becomes_a_signal_in_an_incident_and_its_resolution_clears_it()
    {
        var (alertmanager, api) = await StartAlertmanagerAsync();
        using var _ = alertmanager;
        using var __ = api;
        var startsAt = TimeProvider.System.GetUtcNow();
        var alert = new JsonObject
        {
            ["labels"] = new JsonObject { ["alertname"] = "HighErrorRate", ["service"] = "cart", ["namespace"] = "shop", ["severity"] = "critical" },
            ["annotations"] = new JsonObject { ["summary"] = "cart: 12% of requests fail" },
            ["startsAt"] = startsAt.ToString("O"),
        };
        await PostAlertAsync(api, alert, alertmanager);

        var firing = await WaitAsync(async () => (await _medic.GetJsonAsync("/api/v1/alerts"))["alerts"]!.AsArray() is [JsonObject a] ? a : null, alertmanager);
        Assert.Equal("HighErrorRate", firing["name"]!.GetValue<string>());
        Assert.Equal("cart", firing["labels"]!["service"]!.GetValue<string>());
        var signal = await WaitAsync(async () => await AlertSignalAsync(), alertmanager);
        Assert.Equal(("alertmanager", "HighErrorRate", 0.9), (signal["source"]!.GetValue<string>(), signal["type"]!.GetValue<string>(), signal["score"]!.GetValue<double>()));
        Assert.Equal("cart: 12% of requests fail", signal["summary"]!.GetValue<string>());

        alert["endsAt"] = TimeProvider.System.GetUtcNow().ToString("O");
        await PostAlertAsync(api, alert, alertmanager);
        await WaitAsync(async () => (await _medic.GetJsonAsync("/api/v1/alerts"))["alerts"]!.AsArray().Count == 0 ? new JsonObject() : null, alertmanager);
    }

    [Fact]
    public async Task An_alert_and_a_metric_anomaly_on_the_same_service_land_in_one_incident()
    {
        var (alertmanager, api) = await StartAlertmanagerAsync();
        using var _ = alertmanager;
        using var __ = api;
        var now = TimeProvider.System.GetUtcNow();
        await PostAlertAsync(
            api,
            new JsonObject
            {
                ["labels"] = new JsonObject { ["alertname"] = "PaymentErrors", ["service"] = "payment", ["namespace"] = "shop", ["severity"] = "critical" },
                ["startsAt"] = now.ToString("O"),
            },
            alertmanager);
        await _medic.App.Services.GetRequiredService<IBus>().PublishAsync(new Signal
        {
            Id = "internal-1",
            Source = SignalSources.Metrics,
            Type = "HighLatency",
            Entity = new Entity(EntityKinds.Pod, "payment-7d9c-x2v8") { Service = "payment", Pod = "payment-7d9c-x2v8", Namespace = "shop" },
            Score = 0.95,
            Confidence = 0.9,
            ObservedAt = now,
            Summary = "p99 latency of payment is 2.1 s, above the expected 180 ms",
        });

        var sources = await WaitAsync(
            async () =>
            {
                foreach (var incident in (await _medic.GetJsonAsync("/api/v1/incidents"))["incidents"]!.AsArray())
                {
                    var signals = (await _medic.GetJsonAsync($"/api/v1/incidents/{incident!["id"]}"))["signals"]!.AsArray();
                    if (signals.Count == 2)
                    {
                        return new JsonObject { ["sources"] = new JsonArray([.. signals.Select(s => s!["source"]!.GetValue<string>()).Order(StringComparer.Ordinal).Select(s => (JsonNode?)s)]) };
                    }
                }

                return null;
            },
            alertmanager);

        Assert.Equal("""["alertmanager","metrics"]""", sources["sources"]!.ToJsonString());
        Assert.Single((await _medic.GetJsonAsync("/api/v1/incidents"))["incidents"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"version\":\"3\",\"alerts\":[]}", "version 4")]
    [InlineData("{\"version\":\"4\",\"alerts\":[{\"labels\":{}}]}", "alerts[0]: an alert needs labels.alertname and a fingerprint")]
    [InlineData("{\"version\":", "not an Alertmanager webhook body")]
    public async Task A_malformed_webhook_is_400_with_what_is_wrong(string body, string problem)
    {
        using var response = await _medic.Http.PostAsync("/api/v1/alerts/alertmanager", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Debian's Alertmanager on a free port, sending its webhook to Medic at once.</summary>
    private async Task<(ServerProcess Process, HttpClient Api)> StartAlertmanagerAsync()
    {
        var port = ServerProcess.FreePort();
        var config = _dir.File($"alertmanager-{port}.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: medic
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: medic
                webhook_configs:
                  - url: {_medic.Address}api/v1/alerts/alertmanager
                    send_resolved: true
            """);
        var process = ServerProcess.Start(
            "/usr/bin/prometheus-alertmanager",
            $"--config.file={config}",
            $"--storage.path={_dir.File($"data-{port}")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=");
        return (process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    private async Task<JsonObject?> AlertSignalAsync()
    {
        foreach (var incident in (await _medic.GetJsonAsync("/api/v1/incidents"))["incidents"]!.AsArray())
        {
            var detail = await _medic.GetJsonAsync($"/api/v1/incidents/{incident!["id"]}");
            if (detail["signals"]!.AsArray().FirstOrDefault(s => s!["source"]!.GetValue<string>() == "alertmanager") is JsonObject signal)
            {
                return signal;
            }
        }

        return null;
    }

    private static async Task PostAlertAsync(HttpClient api, JsonObject alert, ServerProcess alertmanager)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await api.PostAsJsonAsync("/api/v2/alerts", new JsonArray(alert.DeepClone()));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Alertmanager did not take the alert (a hang guard):\n{alertmanager.Output}");
    }

    private static async Task<JsonObject> WaitAsync(Func<Task<JsonObject?>> probe, ServerProcess alertmanager)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"gave up waiting (a hang guard); Alertmanager said:\n{alertmanager.Output}");
    }
}
