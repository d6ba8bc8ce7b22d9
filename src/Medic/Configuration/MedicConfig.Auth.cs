using System.Text.RegularExpressions;
using Medic.Web.Auth;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    private static AuthOptions Auth(AuthSection? section, Errors errors)
    {
        if (section is null)
        {
            return new AuthOptions();
        }

        var users = new List<LocalUser>();
        foreach (var (user, i) in (section.Users ?? []).Select((u, i) => (u, i)))
        {
            var field = $"auth.users[{i}]";
            var role = Role(user.Role, field + ".role", errors);
            var hash = errors.Secret(user.PasswordHash, field + ".password_hash");
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                errors.Add(field + ".name", "is required: the name the person signs in with");
            }
            else if (hash is null || !Passwords.IsHash(hash))
            {
                errors.Add(field + ".password_hash", "is not a password hash; make one with `medic auth hash-password` (never write the password itself)");
            }
            else if (role is { } r)
            {
                users.Add(new LocalUser(user.Name, hash, r));
            }
        }

        var tokens = new List<ApiToken>();
        foreach (var (token, i) in (section.Tokens ?? []).Select((t, i) => (t, i)))
        {
            var field = $"auth.tokens[{i}]";
            var role = Role(token.Role, field + ".role", errors);
            var sha = errors.Secret(token.Sha256, field + ".sha256");
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                errors.Add(field + ".name", "is required: the machine's name, the actor of what it sends");
            }
            else if (sha is null || !Sha256Hex().IsMatch(sha))
            {
                errors.Add(field + ".sha256", "is not a SHA-256 in hex; `medic auth new-token` prints a token and its SHA-256 (write only the SHA-256 here)");
            }
            else if (role is { } r)
            {
                tokens.Add(new ApiToken(token.Name, sha.ToLowerInvariant(), r));
            }
        }

        if (users.Select(u => u.Name).Concat(tokens.Select(t => t.Name)).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("auth", $"'{twice.Key}' is named twice: each user and token needs its own name, the actor of what they do");
        }

        return new AuthOptions
        {
            Users = users,
            Tokens = tokens,
            Oidc = section.Oidc is { } oidc ? Oidc(oidc, errors) : null,
            SessionTimeout = errors.Duration(section.SessionTimeout, "auth.session_timeout") ?? new AuthOptions().SessionTimeout,
        };
    }

    private static OidcOptions? Oidc(OidcSection section, Errors errors)
    {
        var authority = errors.Url(section.Authority, "auth.oidc.authority");
        if (authority is null || string.IsNullOrWhiteSpace(section.ClientId))
        {
            errors.Add("auth.oidc", "needs authority (the provider's issuer URL) and client_id");
            return null;
        }

        var roles = new Dictionary<string, Role>(StringComparer.Ordinal);
        foreach (var (value, text) in section.Roles ?? [])
        {
            if (Role(text, $"auth.oidc.roles.{value}", errors) is { } role)
            {
                roles[value] = role;
            }
        }

        if (roles.Count == 0)
        {
            errors.Add("auth.oidc.roles", "maps no claim value to a role, so nobody could sign in; e.g. {sre: operator, sre-leads: admin}");
        }

        return new OidcOptions
        {
            Authority = authority,
            ClientId = section.ClientId,
            ClientSecret = errors.Secret(section.ClientSecret, "auth.oidc.client_secret"),
            RoleClaim = section.RoleClaim ?? "groups",
            NameClaim = section.NameClaim ?? "preferred_username",
            Roles = roles,
        };
    }

    private static Role? Role(string? text, string field, Errors errors)
    {
        if (text is { Length: > 0 } && char.IsLetter(text[0]) && Enum.TryParse<Role>(text, ignoreCase: true, out var role))
        {
            return role;
        }

        errors.Add(field, $"'{text}' is not a role; use viewer, operator or admin");
        return null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
