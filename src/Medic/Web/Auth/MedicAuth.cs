using System.Security.Claims;
using Medic.Apis;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Medic.Web.Auth;

/// <summary>
/// Sign-in for people (a cookie, after the <c>/signin</c> form) and tokens for machines, the role
/// table (<see cref="AccessRules"/>), CSRF protection for what a signed-in browser sends, and the
/// signed-in name as the actor of every change. All of it only when users or tokens are configured.
/// </summary>
internal static class MedicAuth
{
    public const string CookieScheme = "cookie", TokenScheme = "token", OidcScheme = "oidc", Scheme = "medic", RoleClaim = "medic_role", CsrfHeader = "X-CSRF-Token";

    public static IServiceCollection AddMedicAuth(this IServiceCollection services, AuthOptions options)
    {
        services.AddSingleton(options);
        services.AddAntiforgery(a =>
        {
            a.HeaderName = CsrfHeader;
            a.Cookie.Name = "medic_csrf";
            a.Cookie.SameSite = SameSiteMode.Strict;
        });
        if (!options.Enabled)
        {
            return services;
        }

        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "a signed-in person or a token", p => p.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? TokenScheme : CookieScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "medic_session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = options.SessionTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/signin";
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenScheme, null);
        if (options.Oidc is { } oidc)
        {
            authentication.AddOpenIdConnect(OidcScheme, o => Oidc.Configure(o, oidc));
        }

        return services;
    }

    /// <summary>Authentication, then the gate: the role the request needs, and a CSRF token for changes a browser sends.</summary>
    public static WebApplication UseMedicAuth(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<AuthOptions>().Enabled)
        {
            return app;
        }

        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (AccessRules.Required(context.Request.Method, context.Request.Path) is not { } required)
            {
                await next(context);
                return;
            }

            if (context.User.Identity?.IsAuthenticated != true)
            {
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, "sign in at /signin, or send Authorization: Bearer TOKEN with a token Medic knows");
                return;
            }

            var role = RoleOf(context.User);
            if (role < required)
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, $"{context.Request.Method} {context.Request.Path} needs the {required.ToString().ToLowerInvariant()} role; {context.User.Identity.Name} is {(role is { } r ? "a" + (r == Role.Admin ? "n " : " ") + r.ToString().ToLowerInvariant() : "without a role")}");
                return;
            }

            // A browser's session cookie goes with every request a page of any site sends: changes must also carry the console's token.
            if (context.User.Identity.AuthenticationType == CookieScheme && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, $"the request has no valid CSRF token: send the {CsrfHeader} header (or form field) of a console page");
                    return;
                }
            }

            await next(context);
        });
        return app;
    }

    /// <summary>A principal with a name and a role.</summary>
    public static ClaimsPrincipal Principal(string name, Role role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(RoleClaim, role.ToString())], scheme, ClaimTypes.Name, RoleClaim));

    /// <summary>The role of a signed-in principal; null for none.</summary>
    public static Role? RoleOf(ClaimsPrincipal user) => Enum.TryParse<Role>(user.FindFirst(RoleClaim)?.Value, out var role) ? role : null;

    /// <summary>Signs a person in: a session cookie with their name and role.</summary>
    public static Task SignInAsync(HttpContext context, LocalUser user) =>
        context.SignInAsync(CookieScheme, Principal(user.Name, user.Role, CookieScheme));

    private static async Task RefuseAsync(HttpContext context, int status, string detail)
    {
        var page = HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
        if (page && status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Redirect($"/signin?return={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
            return;
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var problem = status switch
        {
            StatusCodes.Status401Unauthorized => TypedResults.Problem(detail, statusCode: status, title: "Unauthorized"),
            StatusCodes.Status403Forbidden => Problems.Forbidden(detail),
            _ => Problems.BadRequest(detail),
        };
        await problem.ExecuteAsync(context);
    }
}
