using Medic.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Medic.Web;

/// <summary>
/// The console's forms: each carries the page's CSRF token, and a name field when sign-in is off
/// (the name is then the actor); a submitted form is taken only with a valid token.
/// </summary>
internal static class ConsoleForms
{
    /// <summary>Whether the visitor may use a form that needs <paramref name="role"/> (anyone when sign-in is off).</summary>
    public static bool May(HttpContext context, Role role) =>
        context.User.Identity?.IsAuthenticated != true || MedicAuth.RoleOf(context.User) >= role;

    /// <summary>A POST form to <paramref name="action"/> holding <paramref name="fields"/>.</summary>
    public static string Form(HttpContext context, string action, string fields, string attributes = "", bool named = true)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var name = named && context.User.Identity?.IsAuthenticated != true ? "<label>Your name <input name=\"by\" required></label> " : "";
        return $"<form method=\"post\" action=\"{action}\"{attributes}><input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken ?? "")}\">{name}{fields}</form>";
    }

    /// <summary>A submitted form and its actor (who is signed in, or the name given); or, when its token is not valid, the page that says so.</summary>
    public static async Task<(IFormCollection Form, string By, IResult? Refusal)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            return (FormCollection.Empty, "", Refused(StatusCodes.Status400BadRequest, "The form expired", "Reload the page and try again."));
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var by = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : form["by"].ToString();
        return (form, by, null);
    }

    /// <summary>A page that says why something was not done.</summary>
    public static IResult Refused(int status, string title, string message) =>
        Results.Content(Html.Document(title, $"<h1>{Html.E(title)}</h1><p id=\"refused\">{Html.E(message)}</p>"), "text/html; charset=utf-8", statusCode: status);
}
