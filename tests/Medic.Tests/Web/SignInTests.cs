using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Medic.Core.Audit;
using Medic.Tests.Support;
using Medic.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Web;

/// <summary>Sign-in, tokens and roles on a real server with users and tokens configured.</summary>
public sealed partial class SignInTests : IAsyncLifetime
{
    private const string ViewerToken = "viewer-token-for-tests", OperatorToken = "operator-token-for-tests", AdminToken = "admin-token-for-tests";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(configure: options => options.Auth = new AuthOptions
    {
        // Few iterations: the tests sign in often; real hashes come from `medic auth hash-password`.
        Users = [new LocalUser("alice", Passwords.Hash("alice's password", iterations: 1_000), Role.Admin), new LocalUser("victor", Passwords.Hash("victor's password", iterations: 1_000), Role.Viewer)],
        Tokens = [new ApiToken("grafana", Passwords.TokenSha256(ViewerToken), Role.Viewer), new ApiToken("ops-bot", Passwords.TokenSha256(OperatorToken), Role.Operator), new ApiToken("admin-bot", Passwords.TokenSha256(AdminToken), Role.Admin)],
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Password_hashes_verify_the_password_they_were_made_from_and_nothing_else()
    {
        var hash = Passwords.Hash("correct horse", iterations: 1_000);

        Assert.StartsWith("pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        Assert.True(Passwords.IsHash(hash));
        Assert.True(Passwords.Verify("correct horse", hash));
        Assert.False(Passwords.Verify("correct horse ", hash));
        Assert.False(Passwords.Verify("correct horse", hash.Replace("$1000$", "$1001$", StringComparison.Ordinal)));
        Assert.False(Passwords.Verify("correct horse", "plain text"));
        Assert.NotEqual(hash, Passwords.Hash("correct horse", iterations: 1_000)); // salted
    }

    [Theory]
    [InlineData("GET", "/healthz", null)]
    [InlineData("POST", "/signin", null)]
    [InlineData("POST", "/api/v1/slack/interactions", null)]
    [InlineData("GET", "/api/v1/incidents", Role.Viewer)]
    [InlineData("POST", "/api/v1/write", Role.Viewer)]
    [InlineData("POST", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", Role.Viewer)]
    [InlineData("POST", "/api/v1/playbooks/k8s-pod-oom-restart-v1/test", Role.Viewer)]
    [InlineData("POST", "/playbooks/try", Role.Viewer)]
    [InlineData("POST", "/api/v1/incidents/i-1/approve", Role.Operator)]
    [InlineData("POST", "/decisions/d-1/approve", Role.Operator)]
    [InlineData("POST", "/api/v1/silences", Role.Operator)]
    [InlineData("POST", "/api/v1/killswitch", Role.Admin)]
    [InlineData("POST", "/safety/killswitch", Role.Admin)]
    [InlineData("POST", "/api/v1/playbooks/k8s-pod-oom-restart-v1/killswitch", Role.Admin)]
    [InlineData("DELETE", "/api/v1/learning/oom|core|service", Role.Admin)]
    public void Each_request_needs_the_role_the_table_gives(string method, string path, Role? role) =>
        Assert.Equal(role, AccessRules.Required(method, path));

    [Fact]
    public async Task Without_credentials_only_the_health_check_and_the_sign_in_page_answer()
    {
        using var anonymous = Client();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/signin")).StatusCode);
        var api = await anonymous.GetAsync("/api/v1/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/runs");
        page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var redirect = await anonymous.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/signin?return=%2Fruns", redirect.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("not a token").GetAsync("/api/v1/incidents")).StatusCode);
    }

    [Fact]
    public async Task Each_role_may_do_what_it_may_and_the_token_s_name_is_the_actor_whatever_the_request_says()
    {
        var decision = await _server.PendingDecisionAsync("i-roles", []);

        Assert.Equal(HttpStatusCode.OK, (await Client(ViewerToken).GetAsync("/api/v1/incidents")).StatusCode);
        var refused = await Client(ViewerToken).PostAsJsonAsync($"/api/v1/decisions/{decision}/approve", new { by = "grafana" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("needs the operator role; grafana is a viewer", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var approved = await Client(OperatorToken).PostAsJsonAsync($"/api/v1/decisions/{decision}/approve", new { by = "mallory" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("ops-bot", (await approved.Content.ReadFromJsonAsync<JsonObject>())!["approvals"]![0]!["by"]!.GetValue<string>());

        var silence = await Client(OperatorToken).PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=cart" }, created_by = "somebody else", comment = "maintenance", duration = "1h" });
        Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
        Assert.Equal("ops-bot", (await silence.Content.ReadFromJsonAsync<JsonObject>())!["created_by"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, (await Client(OperatorToken).PostAsJsonAsync("/api/v1/killswitch", new { engaged = true, by = "x", reason = "test" })).StatusCode);
        var engaged = await Client(AdminToken).PostAsJsonAsync("/api/v1/killswitch", new { engaged = true, by = "someone else", reason = "game day" });
        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        Assert.Equal("admin-bot", (await engaged.Content.ReadFromJsonAsync<JsonObject>())!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_person_signs_in_with_the_form_and_changes_need_the_page_s_csrf_token()
    {
        using var browser = Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, "alice", "wrong")).StatusCode);
        var signedIn = await SignInAsync(browser, "alice", "alice's password");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.ToString());

        var page = await browser.GetStringAsync("/safety");
        Assert.Contains("alice (admin)", page, StringComparison.Ordinal);
        var withoutToken = await browser.PostAsJsonAsync("/api/v1/killswitch", new { engaged = true, reason = "test" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("CSRF", (await withoutToken.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var change = new HttpRequestMessage(HttpMethod.Post, "/api/v1/killswitch") { Content = JsonContent.Create(new { engaged = true, by = "", reason = "test" }) };
        change.Headers.Add(MedicAuth.CsrfHeader, Token(page));
        var withToken = await browser.SendAsync(change);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal("alice", (await withToken.Content.ReadFromJsonAsync<JsonObject>())!["by"]!.GetValue<string>());

        var audit = await _server.App.Services.GetRequiredService<IAuditLog>().ListAsync(0, 100, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "auth.sign_in_failed" && e.Actor == "alice");
        Assert.Contains(audit, e => e.Action == "auth.signed_in" && e.Actor == "alice");
    }

    private HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _server.Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string name, string password)
    {
        var form = await browser.GetStringAsync("/signin");
        return await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(form),
            ["username"] = name,
            ["password"] = password,
            ["return"] = "/",
        }));
    }

    /// <summary>The CSRF token a page carries in its forms.</summary>
    private static string Token(string page) => WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
