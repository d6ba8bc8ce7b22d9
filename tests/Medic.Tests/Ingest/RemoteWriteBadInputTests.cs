using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Tests.Support;

namespace Medic.Tests.Ingest;

/// <summary>Bad remote_write bodies: each gets a precise 4xx or a documented handling, and what was stored before stays.</summary>
public sealed class RemoteWriteBadInputTests : IAsyncLifetime
{
    private static readonly long Now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    private TestServer _medic = null!;

    public async Task InitializeAsync()
    {
        _medic = await TestServer.StartAsync(configure: o => o.Series = o.Series with { MaxSeries = 50 });
        using var first = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(Good("before", Now - 2_000, 1))));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await StoredIntactAsync();
        await _medic.DisposeAsync();
    }

    [Fact]
    public async Task A_truncated_protobuf_is_refused_and_changes_nothing()
    {
        var request = WriteRequests.Request(Good("cut", Now, 1), Good("cut", Now + 1, 2));

        using var response = await PostAsync(WriteRequests.Snappy(request[..^5]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed WriteRequest", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await SeriesAsync("cut"));
    }

    [Fact]
    public async Task The_wrong_content_type_or_encoding_is_415()
    {
        var body = WriteRequests.Snappy(WriteRequests.Request(Good("x", Now, 1)));
        using var json = await PostAsync(body, "application/json");
        using var gzip = await PostAsync(body, encoding: "gzip");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, gzip.StatusCode);
    }

    [Fact]
    public async Task A_snappy_bomb_is_refused_before_it_is_inflated()
    {
        // 200 MiB of zeros compresses to about 10 MiB of snappy: under the body limit, over the inflated one.
        var bomb = Snappier.Snappy.CompressToArray(new byte[200 * 1024 * 1024]);

        using var response = await PostAsync(bomb);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("inflates to 209715200 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_that_is_not_snappy_is_400()
    {
        using var response = await PostAsync([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ten_thousand_labels_are_refused_with_the_limit()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => ($"l{i}", "v")).Prepend(("__name__", "wide")).ToArray();

        using var response = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(WriteRequests.Series(labels, (Now, 1)))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeseries 0: more than 64 labels", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_label_value_is_refused()
    {
        var series = WriteRequests.Series([("__name__"u8.ToArray(), "bad"u8.ToArray()), ("service"u8.ToArray(), [0xC3, 0x28])], (Now, 1));

        using var response = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(series)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeseries 0: the value of label service is not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NaN_and_infinities_are_stored_as_sent()
    {
        using var response = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(Good("odd", Now - 3_000, double.NaN), Good("odd", Now - 2_000, double.PositiveInfinity), Good("odd", Now - 1_000, 5))));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var samples = (await SeriesAsync("odd")).Single()!["samples"]!.AsArray();
        Assert.Equal(3, samples.Count);
        Assert.Equal(["NaN", "+Inf", "5"], samples.Select(x => x![1]!.GetValue<string>()));
    }

    [Fact]
    public async Task Out_of_order_and_duplicate_samples_are_dropped_and_the_rest_stored()
    {
        using var first = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(Good("order", Now - 1_000, 1))));
        using var second = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(Good("order", Now - 5_000, 9), Good("order", Now - 1_000, 1), Good("order", Now, 2))));

        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var samples = (await SeriesAsync("order")).Single()!["samples"]!.AsArray();
        Assert.Equal(["1", "2"], samples.Select(s => s![1]!.GetValue<string>()));
    }

    [Fact]
    public async Task New_series_past_the_limit_are_refused_with_an_error_while_known_ones_keep_flowing()
    {
        var flood = Enumerable.Range(0, 60).Select(i => WriteRequests.Series([("__name__", "flood"), ("i", $"{i}")], (Now, i))).Prepend(Good("before", Now, 2)).ToArray();

        using var response = await PostAsync(WriteRequests.Snappy(WriteRequests.Request(flood)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("new series refused: Medic holds its limit of", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await SeriesAsync("before")).Single()!["samples"]!.AsArray().Count);
    }

    [Fact]
    public async Task Each_tenant_has_its_own_series_limit_and_a_bad_tenant_name_is_refused()
    {
        await using var medic = await TestServer.StartAsync(configure: o => o.Series = o.Series with { MaxSeriesPerSource = 2 });
        byte[] Three(string name) => WriteRequests.Snappy(WriteRequests.Request([.. Enumerable.Range(0, 3).Select(i => WriteRequests.Series([("__name__", name), ("i", $"{i}")], (Now, i)))]));
        async Task<HttpResponseMessage> SendAsync(string tenant, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/x-protobuf");
            content.Headers.ContentEncoding.Add("snappy");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/write") { Content = content };
            request.Headers.Add("X-Scope-OrgID", tenant);
            return await medic.Http.SendAsync(request);
        }

        using var teamA = await SendAsync("team-a", Three("a_total"));
        using var teamB = await SendAsync("team-b", Three("b_total"));
        using var bad = await SendAsync("team a/../b", Three("c_total"));

        Assert.Equal(HttpStatusCode.BadRequest, teamA.StatusCode);
        Assert.Contains("1 series refused (new series refused: source 'team-a' holds its limit of 2 series (series.max_series_per_source)", await teamA.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, teamB.StatusCode);
        Assert.Contains("source 'team-b'", await teamB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("X-Scope-OrgID must be 1 to 128 letters", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sender_past_the_request_rate_gets_429_with_Retry_After_and_what_it_sent_before_stays()
    {
        await using var medic = await TestServer.StartAsync(configure: o => o.Ingest = o.Ingest with { MaxRequestsPerSecond = 2 });

        // Batches of a few hundred kilobytes, as Prometheus sends: the 429 must reach the sender whole,
        // not as a connection reset halfway through its body.
        var random = new Random(7);
        async Task<HttpResponseMessage> SendAsync(int i)
        {
            var samples = Enumerable.Range(0, 30_000).Select(j => (Now - 30_000 + j, random.NextDouble())).ToArray();
            var content = new ByteArrayContent(WriteRequests.Snappy(WriteRequests.Request(WriteRequests.Series([("__name__", $"burst_{i}"), ("service", "cart")], samples))));
            content.Headers.ContentType = new("application/x-protobuf");
            content.Headers.ContentEncoding.Add("snappy");
            return await medic.Http.PostAsync("/api/v1/write", content);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(SendAsync));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Equal("1", refused[0].Headers.RetryAfter!.ToString());
        Assert.Contains("more than 2 requests a second from 127.0.0.1 (ingest.max_requests_per_second)", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var accepted = responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.NoContent).Select(x => x.i).ToList();
        Assert.Equal(10, accepted.Count + refused.Count);
        foreach (var i in accepted)
        {
            var series = (await medic.Http.GetFromJsonAsync<JsonObject>($"/api/v1/samples?match=burst_{i}"))!["series"]!.AsArray();
            Assert.Single(series);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static byte[] Good(string name, long timestamp, double value) =>
        WriteRequests.Series([("__name__", name), ("service", "cart")], (timestamp, value));

    private async Task StoredIntactAsync()
    {
        var before = (await SeriesAsync("before")).Single()!["samples"]!.AsArray();
        Assert.Equal("1", before[0]![1]!.GetValue<string>());
    }

    private async Task<JsonArray> SeriesAsync(string name) =>
        (await _medic.Http.GetFromJsonAsync<JsonObject>($"/api/v1/samples?match={name}"))!["series"]!.AsArray();

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string type = "application/x-protobuf", string encoding = "snappy")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        content.Headers.ContentEncoding.Add(encoding);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/write") { Content = content };
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        return await _medic.Http.SendAsync(request);
    }
}
