using Medic.Core.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Medic.Web.Auth;

/// <summary><c>/signin</c>: the form people sign in with (CSRF-protected like every change), and <c>/signout</c>. Every attempt is audited.</summary>
internal static class SignInPages
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (HttpContext context, string? @return) => Form(context, @return, null));
        app.MapPost("/signin", SignInAsync).DisableAntiforgery();
        app.MapGet("/signin/oidc", (HttpContext context, AuthOptions auth, string? @return) => auth.Oidc is null
            ? Results.Redirect("/signin")
            : Results.Challenge(new AuthenticationProperties { RedirectUri = Local(@return) }, [MedicAuth.OidcScheme]));
        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(MedicAuth.CookieScheme);
            return Results.Redirect("/signin");
        }).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, AuthOptions auth, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!auth.Enabled)
        {
            return Results.Redirect("/");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, null, "The form expired: try again.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var name = form["username"].ToString();
        var back = form["return"].ToString();
        if (auth.Users.FirstOrDefault(u => u.Name == name) is { } user && Passwords.Verify(form["password"].ToString(), user.PasswordHash))
        {
            await MedicAuth.SignInAsync(context, user);
            await audit.AppendAsync(user.Name, "auth.signed_in", user.Name, new { Role = user.Role.ToString().ToLowerInvariant() }, cancellationToken);
            return Results.Redirect(Local(back));
        }

        await audit.AppendAsync(name.Length == 0 ? "?" : name, "auth.sign_in_failed", name, new { Address = context.Connection.RemoteIpAddress?.ToString() }, cancellationToken);
        return Form(context, back, "Wrong name or password.", StatusCodes.Status401Unauthorized);
    }

    private static IResult Form(HttpContext context, string? back, string? error, int status = StatusCodes.Status200OK)
    {
        var fields = $"""
            <input type="hidden" name="return" value="{Html.E(Local(back))}">
            <p><label>Name <input name="username" autocomplete="username" required></label></p>
            <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">Sign in</button></p>
            """;
        var sso = context.RequestServices.GetRequiredService<AuthOptions>().Oidc is null ? "" : $"<p><a id=\"sso\" href=\"/signin/oidc?return={Uri.EscapeDataString(Local(back))}\">Sign in with single sign-on</a></p>";
        var body = $"<h1>Sign in</h1>{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>")}{sso}{ConsoleForms.Form(context, "/signin", fields, " class=\"signin\"", named: false)}";
        return Results.Content(Html.Document("Sign in", body), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>Only a path of this site to go back to: never another site.</summary>
    private static string Local(string? back) =>
        back is { Length: > 0 } && back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) && !back.Contains('\\', StringComparison.Ordinal) ? back : "/";
}
