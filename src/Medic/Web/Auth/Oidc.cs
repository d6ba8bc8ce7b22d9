using System.Security.Claims;
using Medic.Core.Audit;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Medic.Web.Auth;

/// <summary>
/// Sign-in through an OpenID Connect provider: the authorization code flow with PKCE, the answer
/// read from the query, the provider's identity turned into Medic's (a name and a role from the
/// configured claim) and kept in Medic's own session cookie. Every sign-in, and every refusal, is audited.
/// </summary>
internal static class Oidc
{
    public static void Configure(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.ResponseType = "code";
        o.ResponseMode = "query";
        o.UsePkce = true;
        o.SignInScheme = MedicAuth.CookieScheme;
        o.CallbackPath = "/signin-oidc";
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.RequireHttpsMetadata = oidc.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");

        // Over plain http (a lab), the flow's cookies cannot be Secure; over https they are.
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.Events.OnRemoteFailure = async context =>
        {
            // A refused or broken sign-in says why on a page, instead of an error.
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync(Html.Document("Sign-in refused", $"<h1>Sign-in refused</h1><p id=\"refused\">{Html.E(context.Failure?.Message ?? "the provider's answer could not be used")}</p><p><a href=\"/signin\">Back</a></p>"));
        };
        o.Events.OnTokenValidated = async context =>
        {
            var claims = context.Principal!;
            var name = claims.FindFirst(oidc.NameClaim)?.Value ?? claims.FindFirst("name")?.Value ?? claims.FindFirst("sub")?.Value ?? "?";
            var audit = context.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
            if (RoleOf(claims, oidc) is not { } role)
            {
                await audit.AppendAsync(name, "auth.sign_in_refused", name, new { Reason = $"no role for their {oidc.RoleClaim}" }, context.HttpContext.RequestAborted);
                context.Fail($"{name} has no role in Medic: none of their {oidc.RoleClaim} is mapped in auth.oidc.roles");
                return;
            }

            context.Principal = MedicAuth.Principal(name, role, MedicAuth.CookieScheme);
            await audit.AppendAsync(name, "auth.signed_in", name, new { Role = role.ToString().ToLowerInvariant(), Via = "oidc" }, context.HttpContext.RequestAborted);
        };
    }

    /// <summary>The highest role any of the person's claim values (or <c>*</c>) maps to.</summary>
    public static Role? RoleOf(ClaimsPrincipal person, OidcOptions oidc)
    {
        var values = person.FindAll(oidc.RoleClaim).Select(c => c.Value).Append("*");
        var roles = values.Select(v => oidc.Roles.TryGetValue(v, out var role) ? role : (Role?)null).OfType<Role>().ToList();
        return roles.Count == 0 ? null : roles.Max();
    }
}
