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

    /// <summary>How long a sign-in lasts without use. Default 12 hours.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Whether anyone must sign in: true once a user or a token is configured.</summary>
    public bool Enabled => Users.Count > 0 || Tokens.Count > 0;
}
