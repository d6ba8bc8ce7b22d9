using System.CommandLine;
using Medic.Web.Auth;

namespace Medic.Cli;

/// <summary><c>medic auth</c>: what medic.yaml's <c>auth:</c> section holds, made without writing a secret down.</summary>
internal static class AuthCommand
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password from standard input (one line) and print its hash for auth.users[].password_hash.");
        hash.SetAction(async (_, cancellationToken) =>
        {
            var password = await Console.In.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("medic auth hash-password: no password on standard input; e.g. `read -rs P && printf '%s\\n' \"$P\" | medic auth hash-password`");
                return 1;
            }

            await Console.Out.WriteLineAsync(Passwords.Hash(password));
            return 0;
        });

        var token = new Command("new-token", "Print a new API token (give it to the machine) and its SHA-256 (for auth.tokens[].sha256).");
        token.SetAction(async (_, _) =>
        {
            var secret = Passwords.NewToken();
            await Console.Out.WriteLineAsync($"token:  {secret}");
            await Console.Out.WriteLineAsync($"sha256: {Passwords.TokenSha256(secret)}");
            return 0;
        });

        return new Command("auth", "Make password hashes and API tokens for medic.yaml's auth section.") { hash, token };
    }
}
