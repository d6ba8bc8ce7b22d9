using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Core.Changes;
using Medic.Core.Logs.Mining;
using Medic.Core.Storage;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Ingest;

/// <summary>Change events (Medic's body, GitHub deployment_status, Argo CD) and logs from shippers (JSON, JSON lines, gzip, Loki push).</summary>
public sealed class ChangesAndLogsIngestTests : IAsyncLifetime
{
    private TestServer _medic = null!;

    public async Task InitializeAsync() => _medic = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _medic.DisposeAsync();

    [Fact]
    public async Task A_change_in_Medic_s_own_body_is_recorded()
    {
        using var response = await _medic.Http.PostAsJsonAsync("/api/v1/changes", new
        {
            service = "cart",
            kind = "feature_flag",
            version = "new-checkout=on",
            author = "alice",
            time = "2026-11-26T10:00:00Z",
            links = new[] { "https://flags.example/new-checkout" },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = await WaitForChangeAsync("cart");
        Assert.Equal((ChangeKinds.FeatureFlag, "alice", "new-checkout=on"), (change.Kind, change.Actor, change.Version));
        Assert.Equal(["https://flags.example/new-checkout"], change.Links);
    }

    [Theory]
    [InlineData("{\"kind\":\"deploy\"}", "service is required")]
    [InlineData("{\"service\":\"cart\",\"kind\":\"party\"}", "kind 'party' is not one of")]
    [InlineData("{\"service\":\"cart\",\"time\":\"yesterday\"}", "is not a time")]
    [InlineData("not json", "the body is not JSON")]
    public async Task A_bad_change_is_400_with_what_to_fix(string body, string problem)
    {
        using var response = await _medic.Http.PostAsync("/api/v1/changes", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_GitHub_deployment_status_success_is_a_deploy_and_a_queued_one_is_not()
    {
        JsonObject Event(string state) => new()
        {
            ["deployment_status"] = new JsonObject { ["state"] = state, ["environment"] = "production", ["created_at"] = "2026-11-26T09:00:00Z", ["target_url"] = "https://ci.example/run/7" },
            ["deployment"] = new JsonObject { ["sha"] = "9f2c1e0d4b7a6c5e", ["ref"] = "v1.4.2", ["environment"] = "production", ["creator"] = new JsonObject { ["login"] = "bob" } },
            ["repository"] = new JsonObject { ["name"] = "payment" },
        };

        using var queued = await _medic.Http.PostAsJsonAsync("/api/v1/changes/github", Event("queued"));
        using var done = await _medic.Http.PostAsJsonAsync("/api/v1/changes/github", Event("success"));

        Assert.False((await queued.Content.ReadFromJsonAsync<JsonObject>())!["recorded"]!.GetValue<bool>());
        var change = await WaitForChangeAsync("payment");
        Assert.Equal(("v1.4.2", "bob"), (change.Version, change.Actor));
        Assert.Equal("deploy of payment v1.4.2 to production: success", change.Description);
    }

    [Fact]
    public async Task An_Argo_CD_notification_with_the_application_is_a_deploy()
    {
        var app = JsonNode.Parse("""
            {"metadata":{"name":"checkout","namespace":"argocd"},
             "spec":{"destination":{"namespace":"shop"}},
             "status":{"sync":{"revision":"3b5d9a2f77e0c1aa"},
                       "operationState":{"finishedAt":"2026-11-26T08:30:00Z","operation":{"initiatedBy":{"username":"carol"}}}}}
            """)!;
        using var response = await _medic.Http.PostAsJsonAsync("/api/v1/changes/argocd", new JsonObject { ["app"] = app });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = await WaitForChangeAsync("checkout");
        Assert.Equal(("shop", "carol", "Argo CD synced checkout to 3b5d9a2f77e0"), (change.Namespace, change.Actor, change.Description));
    }

    [Fact]
    public async Task Logs_from_shippers_arrive_as_an_array_as_lines_and_gzipped_and_bad_records_are_named()
    {
        using var array = await _medic.Http.PostAsync("/api/v1/logs", Json("""
            [{"date": 1764151200.5, "log": "order 1 placed\n", "kubernetes": {"labels": {"app": "shop"}, "namespace_name": "prod"}},
             {"time": "2026-11-26T10:00:01Z", "message": "order 2 placed", "service": "shop", "level": "info"},
             {"message": "no service here"}]
            """));
        var lines = Encoding.UTF8.GetBytes("{\"msg\":\"order 3 placed\",\"app\":\"shop\"}\n{\"msg\":\"order 4 placed\",\"app\":\"shop\"}\n");
        using var gzip = await _medic.Http.PostAsync("/api/v1/logs", Gzip(lines));

        var accepted = (await array.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, accepted["accepted"]!.GetValue<int>());
        Assert.StartsWith("record 2: needs a message", accepted["refused"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
        var templates = await WaitForTemplatesAsync("shop", 4);
        Assert.Equal("order <*> placed", templates.Single().Text);
    }

    [Fact]
    public async Task Loki_push_json_arrives_and_protobuf_is_refused_with_what_to_send()
    {
        using var pushed = await _medic.Http.PostAsync("/loki/api/v1/push", Json("""
            {"streams": [{"stream": {"app": "auth", "level": "error"},
                          "values": [["1764151200000000000", "login failed for user 7"], ["1764151201000000000", "login failed for user 9"]]}]}
            """));
        var protobuf = new ByteArrayContent([1, 2, 3]);
        protobuf.Headers.ContentType = new("application/x-protobuf");
        using var refused = await _medic.Http.PostAsync("/loki/api/v1/push", protobuf);

        Assert.Equal(HttpStatusCode.NoContent, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("login failed for user <*>", (await WaitForTemplatesAsync("auth", 2)).Single().Text);
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_not_gzip_is_400()
    {
        var notGzip = Json("{}");
        notGzip.Headers.ContentEncoding.Add("gzip");
        using var garbage = await _medic.Http.PostAsync("/api/v1/logs", Json("{{{"));
        using var broken = await _medic.Http.PostAsync("/api/v1/logs", notGzip);

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not valid gzip", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static ByteArrayContent Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private async Task<ChangeEvent> WaitForChangeAsync(string service)
    {
        var store = _medic.App.Services.GetRequiredService<IChangeStore>();
        for (var i = 0; i < 300; i++)
        {
            var changes = await store.ListAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None);
            if (changes.FirstOrDefault(c => c.Service == service) is { } change)
            {
                return change;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no change for {service} was recorded (a hang guard)");
    }

    private async Task<IReadOnlyList<(int Id, string Text, long Count)>> WaitForTemplatesAsync(string service, long messages)
    {
        var miner = _medic.App.Services.GetRequiredService<TemplateMiner>();
        for (var i = 0; i < 300; i++)
        {
            var templates = miner.Templates(service);
            if (templates.Sum(t => t.Count) >= messages)
            {
                return templates;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the logs of {service} were not mined (a hang guard)");
    }
}
