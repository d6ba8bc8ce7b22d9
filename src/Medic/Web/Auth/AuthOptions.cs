namespace Medic.Web.Auth;

/// <summary>A person who signs in to the console: a name, a password hash (<see cref="Passwords"/>) and a role.</summary>
/// <param name="Name">The name they sign in with; it is the actor of everything they do.</param>
/// <param name="PasswordHash">The hash <c>medic auth hash-password</c> printed; never the password.</param>
/// <param name="Role">What they may do.</param>
public sealed record LocalUser(string Name, string PasswordHash, Role Role);

/// <summary>A machine's API token, known by the SHA-256 of the token (<c>medic auth new-token</c>), never the token itself.</summary>
/// <param name="Name">The machine's name; it is the actor of everything it does.</param>
/// <param name="Sha256">The token's SHA-256, in hex.</param>
/// <param name="Role">What it may do.</param>
public sealed record ApiToken(string Name, string Sha256, Role Role);

/// <summary>
/// Single sign-on with an OpenID Connect provider (authorization code flow with PKCE): people sign in
/// there, and a claim of theirs (their groups, say) gives their role here.
/// </summary>
public sealed record OidcOptions
{
    /// <summary>The provider's issuer URL (its discovery document is under it).</summary>
    public required string Authority { get; init; }

    /// <summary>Medic's client id at the provider.</summary>
    public required string ClientId { get; init; }

    /// <summary>Medic's client secret at the provider, if it has one.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The claim whose values give the role. Default <c>groups</c>.</summary>
    public string RoleClaim { get; init; } = "groups";

    /// <summary>Claim value → role; <c>*</c> for anyone the provider signs in. The highest that applies wins; with none, the sign-in is refused.</summary>
    public IReadOnlyDictionary<string, Role> Roles { get; init; } = new Dictionary<string, Role>(StringComparer.Ordinal);

    /// <summary>The claim that names the person (the actor of what they do). Default <c>preferred_username</c>, else <c>name</c>, else the subject.</summary>
    public string NameClaim { get; init; } = "preferred_username";
}

/// <summary>
/// Who may use Medic. With no user and no token, Medic is open (a local demo, a lab); with any,
/// every request but the health check, the sign-in page and Slack's signed callbacks needs a
/// signed-in person or a token, and a role high enough for what it asks.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>People who sign in to the console.</summary>
    public IReadOnlyList<LocalUser> Users { get; set; } = [];

    /// <summary>Machines' tokens (<c>Authorization: Bearer TOKEN</c>).</summary>
    public IReadOnlyList<ApiToken> Tokens { get; set; } = [];

    /// <summary>Single sign-on with an OpenID Connect provider, if any.</summary>
    public OidcOptions? Oidc { get; set; }

    /// <summary>How long a sign-in lasts without use. Default 12 hours.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Whether anyone must sign in: true once a user or a token is configured.</summary>
    public bool Enabled => Users.Count > 0 || Tokens.Count > 0 || Oidc is not null;
}
