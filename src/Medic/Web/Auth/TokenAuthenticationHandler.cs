using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Medic.Web.Auth;

/// <summary>Machines: <c>Authorization: Bearer TOKEN</c>, matched against the configured tokens' SHA-256.</summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthOptions auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = header["Bearer ".Length..].Trim();
        return Task.FromResult(auth.Tokens.FirstOrDefault(t => Passwords.TokenMatches(token, t.Sha256)) is { } known
            ? AuthenticateResult.Success(new AuthenticationTicket(MedicAuth.Principal(known.Name, known.Role, Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("the token is not one of Medic's"));
    }
}
