using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Tests.Support;

namespace Medic.Tests.Apis;

/// <summary><c>/api/v1/silences</c> and <c>medic silence</c> on a real server: create, list, expire, refuse what makes no sense, audit.</summary>
public sealed class SilencesApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_silence_is_created_listed_and_expired_and_each_change_is_audited()
    {
        var created = await _server.Http.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=cart", "alertname=~High.*" }, created_by = "alice", comment = "cart migration", duration = "2h" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var silence = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = silence["id"]!.GetValue<string>();
        Assert.Equal("""[{"name":"service","operator":"equal","value":"cart"},{"name":"alertname","operator":"regex","value":"High.*"}]""", silence["matchers"]!.ToJsonString());

        var listed = await _server.GetJsonAsync("/api/v1/silences");
        Assert.Equal(id, Assert.Single(listed["silences"]!.AsArray())!["id"]!.GetValue<string>());

        var expired = await _server.Http.DeleteAsync($"/api/v1/silences/{id}?by=bob");
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Empty((await _server.GetJsonAsync("/api/v1/silences"))["silences"]!.AsArray());
        Assert.Single((await _server.GetJsonAsync("/api/v1/silences?all=true"))["silences"]!.AsArray());

        var audit = (await _server.GetJsonAsync("/api/v1/audit"))["entries"]!.AsArray().Select(e => (e!["actor"]!.GetValue<string>(), e["action"]!.GetValue<string>())).ToList();
        Assert.Contains(("alice", "silence.created"), audit);
        Assert.Contains(("bob", "silence.expired"), audit);
    }

    [Theory]
    [InlineData("""{"created_by":"a","comment":"c","duration":"1h"}""", "a silence needs matchers, created_by and comment")]
    [InlineData("""{"matchers":["service=cart"],"comment":"c","duration":"1h"}""", "a silence needs matchers, created_by and comment")]
    [InlineData("""{"matchers":["service"],"created_by":"a","comment":"c","duration":"1h"}""", "matcher 'service': expected name=value")]
    [InlineData("""{"matchers":["service=~(cart"],"created_by":"a","comment":"c","duration":"1h"}""", "the regular expression does not compile")]
    [InlineData("""{"matchers":["service=~.*"],"created_by":"a","comment":"c","duration":"1h"}""", "match every signal")]
    [InlineData("""{"matchers":["service=cart"],"created_by":"a","comment":"c"}""", "a silence needs an end")]
    [InlineData("""{"matchers":["service=cart"],"created_by":"a","comment":"c","duration":"soon"}""", "duration 'soon' is not a positive duration")]
    [InlineData("""{"matchers":["service=cart"],"created_by":"a","comment":"c","duration":"60d"}""", "at most 30 days")]
    public async Task Silences_that_make_no_sense_are_refused_with_what_to_send(string body, string expected)
    {
        var response = await _server.Http.PostAsync("/api/v1/silences", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await _server.GetJsonAsync("/api/v1/silences?all=true"))["silences"]!.AsArray());
    }

    [Fact]
    public async Task The_silence_command_adds_lists_and_expires_against_the_server()
    {
        var server = _server.Address.ToString();
        var (added, addOut, addErr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "silence", "add", "service=payment", "severity!=info", "--comment", "provider maintenance", "--duration", "30m", "--by", "carol", "--server", server);
        Assert.True(added == 0, addOut + addErr);
        Assert.Contains("service=\"payment\" severity!=\"info\"", addOut, StringComparison.Ordinal);
        var id = addOut.Split(' ')[1];

        var (_, listOut, _) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "silence", "list", "--server", server);
        Assert.Contains($"{id}  ", listOut, StringComparison.Ordinal);
        Assert.Contains("by carol: provider maintenance", listOut, StringComparison.Ordinal);

        var (expired, expireOut, _) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "silence", "expire", id, "--by", "carol", "--server", server);
        Assert.Equal(0, expired);
        Assert.Contains($"silence {id} ended at", expireOut, StringComparison.Ordinal);

        var (missing, _, missingErr) = await MedicProcess.RunAsync(TimeSpan.FromMinutes(1), "silence", "expire", "nope", "--server", server);
        Assert.Equal(1, missing);
        Assert.Contains("404", missingErr, StringComparison.Ordinal);
    }
}
