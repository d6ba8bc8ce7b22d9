using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Medic.Adapters.Notifications;

/// <summary>
/// Slack's request signing: <c>X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))</c>,
/// with <c>X-Slack-Request-Timestamp</c> no older than a few minutes (so a captured request cannot be replayed).
/// </summary>
public static class SlackSignature
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The signature Slack sends for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    /// <summary>Why the request must be refused, or null when it is genuine and fresh.</summary>
    public static string? Check(string secret, string? timestamp, string? signature, string body, DateTimeOffset now, TimeSpan maxAge)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxUnixSeconds)
        {
            return "missing or malformed X-Slack-Request-Timestamp";
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > maxAge)
        {
            return "the request timestamp is too old (a replay?)";
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp!, body));
        var given = Encoding.ASCII.GetBytes(signature ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "the signature does not match";
    }
}
