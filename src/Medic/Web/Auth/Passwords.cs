using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Medic.Web.Auth;

/// <summary>
/// Password hashes: PBKDF2 with HMAC-SHA-256, a random 16-byte salt and 600,000 iterations (OWASP's
/// figure for this function), written <c>pbkdf2-sha256$iterations$salt$hash</c> (base64); tokens by
/// SHA-256. Comparisons take the same time whatever matches.
/// </summary>
public static class Passwords
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 600_000, SaltBytes = 16, HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/>.</summary>
    public static string Hash(string password, int iterations = Iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="stored"/> was made from; false for a hash that is not one.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="stored"/> is a hash <see cref="Verify"/> can check (for configuration errors).</summary>
    public static bool IsHash(string stored) => stored.Split('$') is [Scheme, var n, var salt, var hash] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 && salt.Length > 0 && hash.Length > 0;

    /// <summary>A new API token: 32 random bytes, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The SHA-256 of a token, in lowercase hex: what configuration holds.</summary>
    public static string TokenSha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/>'s SHA-256 is <paramref name="sha256"/>.</summary>
    public static bool TokenMatches(string token, string sha256) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(TokenSha256(token)), Encoding.ASCII.GetBytes(sha256.ToLowerInvariant()));
}
