using System.Net;
using System.Security.Cryptography;
using System.Text;
using Medic.Adapters.Actions.Http;
using Medic.Core.Playbooks;
using Medic.Core.Workflows;
using Medic.Testing;

namespace Medic.Adapters.Tests.Actions;

/// <summary>
/// The http action's allow-list against what an attacker controls: template values in the URL and
/// headers, redirects, and DNS answers. A real server on 127.0.0.1 records what actually arrived.
/// </summary>
public sealed class HttpSafetyTests : IAsyncLifetime
{
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task An_allowed_call_carries_the_idempotency_key_and_a_verifiable_signature()
    {
        using var provider = Provider(["127.0.0.1"]);
        var requestedAt = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        var result = await provider.ExecuteAsync(
            Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/hooks/restart").ToString(), ["body"] = new Dictionary<string, object?> { ["service"] = "cart" }, ["hmac"] = "hook" }) with { RequestedAt = requestedAt },
            CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var received = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("run1:step:1", received.Header("Idempotency-Key"));
        Assert.Equal("""{"service":"cart"}""", received.Body);
        var timestamp = received.Header("X-Medic-Timestamp");
        Assert.Equal(requestedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, Encoding.UTF8.GetBytes($"{timestamp}.{received.Body}")));
        Assert.Equal(expected, received.Header("X-Medic-Signature"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://hooks.example.com.evil.net/")]
    [InlineData("http://evilexample.com/")]
    [InlineData("http://hooks.example.com@127.0.0.1/")]
    [InlineData("file:///etc/passwd")]
    public async Task A_url_outside_the_allow_list_is_refused_before_any_connection(string url)
    {
        using var provider = Provider(["*.example.com"]);
        var result = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = url }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.StartsWith("params.url:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_value_cannot_move_the_request_to_another_host()
    {
        using var provider = Provider(["hooks.example.com"]);
        var parameters = (IReadOnlyDictionary<string, object?>)TemplateRenderer.RenderTree(
            new Dictionary<string, object?> { ["url"] = "http://hooks.example.com{{ service.name }}/restart" },
            new Dictionary<string, object?> { ["service"] = new Dictionary<string, object?> { ["name"] = $"@{_receiver.Address.Authority}" } })!;

        var result = await provider.ExecuteAsync(Request(parameters), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_to_a_forbidden_address_is_not_followed()
    {
        _receiver.Respond = _ => Task.FromResult(new Reply(302, "", "http://169.254.169.254/latest/meta-data/iam"));
        using var provider = Provider(["127.0.0.1"]);

        var result = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/hook").ToString() }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("redirected to http://169.254.169.254/latest/meta-data/iam, which is not an allowed destination", result.Error, StringComparison.Ordinal);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_within_the_allow_list_is_followed()
    {
        _receiver.Respond = r => Task.FromResult(r.Path == "/old" ? new Reply(307, "", "/new") : new Reply(200));
        using var provider = Provider(["127.0.0.1"]);

        var result = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/old").ToString(), ["body"] = "x" }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["/old", "/new"], _receiver.Requests.Select(r => r.Path));
        Assert.Equal("x", _receiver.Requests[1].Body);
    }

    [Fact]
    public async Task Credentials_do_not_follow_a_redirect_to_another_origin()
    {
        await using var other = await LoopbackReceiver.StartAsync();
        _receiver.Respond = _ => Task.FromResult(new Reply(307, "", other.Url("/elsewhere").ToString()));
        using var provider = Provider(["127.0.0.1"]);

        var result = await provider.ExecuteAsync(
            Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/hook").ToString(), ["headers"] = new Dictionary<string, object?> { ["Authorization"] = "Bearer s3cret" }, ["hmac"] = "hook", ["body"] = "x" }),
            CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Bearer s3cret", Assert.Single(_receiver.Requests).Header("Authorization"));
        var followed = Assert.Single(other.Requests);
        Assert.Null(followed.Header("Authorization"));
        Assert.Null(followed.Header("X-Medic-Signature"));
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Idempotency-Key")]
    public async Task A_step_may_not_set_the_headers_Medic_sets(string header)
    {
        using var provider = Provider(["127.0.0.1"]);
        var result = await provider.ExecuteAsync(
            Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/hook").ToString(), ["headers"] = new Dictionary<string, object?> { [header] = "internal-admin.local" } }),
            CancellationToken.None);

        Assert.Equal($"params.headers: '{header}' is set by Medic from the URL and body; a step may not set it", result.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_name_that_resolves_outside_the_allowed_ranges_is_refused_at_connect()
    {
        // The name is not trusted as such; it is allowed only if the address it resolves to is.
        using var provider = Provider(["10.0.0.0/8"], resolve: _ => [IPAddress.Loopback]);

        var result = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = $"http://internal.example:{_receiver.Address.Port}/hook" }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal($"internal.example resolves to 127.0.0.1, outside the allowed destinations (10.0.0.0/8)", result.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_name_that_resolves_inside_the_allowed_ranges_is_reached()
    {
        using var provider = Provider(["127.0.0.0/8"], resolve: _ => [IPAddress.Parse("203.0.113.9"), IPAddress.Loopback]);

        var result = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = $"http://internal.example:{_receiver.Address.Port}/hook" }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(_receiver.Requests);
    }

    [Theory]
    [InlineData("X-Note", "ok\r\nX-Injected: yes")]
    [InlineData("X-Note", "ok\nHost: evil")]
    [InlineData("X-Note\r\nX-Injected", "yes")]
    public async Task A_line_break_in_a_header_is_refused(string name, string value)
    {
        using var provider = Provider(["127.0.0.1"]);
        var result = await provider.ExecuteAsync(
            Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/hook").ToString(), ["headers"] = new Dictionary<string, object?> { [name] = value } }),
            CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("params.headers:", result.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retryable_and_client_errors_are_not()
    {
        using var provider = Provider(["127.0.0.1"]);
        _receiver.Respond = r => Task.FromResult(new Reply(r.Path == "/busy" ? 503 : 400));

        var busy = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/busy").ToString() }), CancellationToken.None);
        var bad = await provider.ExecuteAsync(Request(new Dictionary<string, object?> { ["url"] = _receiver.Url("/bad").ToString() }), CancellationToken.None);

        Assert.True(busy.Retryable);
        Assert.False(bad.Retryable);
    }

    private static HttpActionProvider Provider(IReadOnlyList<string> allow, Func<string, IPAddress[]>? resolve = null) => new(new HttpActionOptions
    {
        Allow = allow,
        Secrets = new Dictionary<string, string> { ["hook"] = "s3cret" },
        Resolve = resolve is null ? Dns.GetHostAddressesAsync : (host, _) => Task.FromResult(resolve(host)),
    });

    private static ActionRequest Request(IReadOnlyDictionary<string, object?> parameters) => new("run1", "step", "run1:step:1", parameters);
}
