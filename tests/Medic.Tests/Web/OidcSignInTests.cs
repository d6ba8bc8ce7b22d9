using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Medic.Core.Audit;
using Medic.Tests.Support;
using Medic.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Medic.Tests.Web;

/// <summary>Single sign-on: Medic as an OpenID Connect client of a small provider started for the test (code flow with PKCE, RS256 id tokens).</summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Nonce, string User)> _codes = new();
    private WebApplication _provider = null!;
    private TestServer _medic = null!;
    private string _issuer = "";

    /// <summary>Who the provider signs in next, and their groups.</summary>
    private (string User, string[] Groups) _next = ("", []);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["authorization_endpoint"] = _issuer + "/authorize",
            ["token_endpoint"] = _issuer + "/token",
            ["jwks_uri"] = _issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _provider.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "test" });
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "test", n = jwk.N, e = jwk.E } } });
        });
        _provider.MapGet("/authorize", (string redirect_uri, string state, string nonce) =>
        {
            var code = Guid.NewGuid().ToString("n");
            _codes[code] = (nonce, _next.User);
            return Results.Redirect($"{redirect_uri}?code={code}&state={Uri.EscapeDataString(state)}");
        });
        _provider.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (!_codes.TryRemove(form["code"].ToString(), out var granted) || string.IsNullOrEmpty(form["code_verifier"]))
            {
                return Results.BadRequest(new { error = "invalid_grant" });
            }

            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = _issuer,
                Audience = "medic",
                Subject = new ClaimsIdentity([new Claim("sub", granted.User), new Claim("preferred_username", granted.User), new Claim("nonce", granted.Nonce), .. _next.Groups.Select(g => new Claim("groups", g))]),
                Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "test" }, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { id_token = token, access_token = "access", token_type = "Bearer", expires_in = 300 });
        });
        await _provider.StartAsync();
        _issuer = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _medic = await TestServer.StartAsync(configure: options => options.Auth = new AuthOptions
        {
            Oidc = new OidcOptions
            {
                Authority = _issuer,
                ClientId = "medic",
                ClientSecret = "secret",
                Roles = new Dictionary<string, Role> { ["sre"] = Role.Operator, ["sre-leads"] = Role.Admin },
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _medic.DisposeAsync();
        await _provider.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task A_person_signs_in_at_the_provider_and_their_groups_give_their_role()
    {
        _next = ("oscar", ["sre", "everyone"]);
        using var browser = Browser();

        var signedIn = await FollowAsync(browser, "/signin/oidc?return=%2Fsafety");

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("/safety", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("oscar (operator)", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Contains(await _medic.App.Services.GetRequiredService<IAuditLog>().ListAsync(0, 100, CancellationToken.None), e => e.Action == "auth.signed_in" && e.Actor == "oscar");
    }

    [Fact]
    public async Task Someone_with_no_mapped_group_is_refused_and_told_why()
    {
        _next = ("mallory", ["everyone"]);
        using var browser = Browser();

        var refused = await FollowAsync(browser, "/signin/oidc");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("mallory has no role in Medic", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/incidents")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_offers_single_sign_on()
    {
        using var browser = Browser();

        Assert.Contains("Sign in with single sign-on", await browser.GetStringAsync("/signin"), StringComparison.Ordinal);
    }

    private HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _medic.Address };

    /// <summary>Follows redirects by hand across Medic and the provider, as a browser would, cookies and all.</summary>
    private static async Task<HttpResponseMessage> FollowAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        for (var hops = 0; hops < 10 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            response = await browser.GetAsync(new Uri(browser.BaseAddress!, response.Headers.Location!));
        }

        return response;
    }
}
