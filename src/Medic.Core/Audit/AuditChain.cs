using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Medic.Core.Audit;

/// <summary>The hash chain of the audit log.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Computes an entry's hash from its fields and the previous hash.</summary>
    public static string ComputeHash(long sequence, DateTimeOffset at, string actor, string action, string subject, string dataJson, string previousHash)
    {
        // Fields are length-prefixed so that no two different entries serialise alike.
        var text = new StringBuilder();
        foreach (var field in new[] { sequence.ToString(CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), actor, action, subject, dataJson, previousHash })
        {
            text.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Checks a whole log, oldest first; returns the first broken sequence number, or null.</summary>
    public static long? FindBreak(IEnumerable<AuditEntry> entries) => new Verifier().FindBreak(entries);

    /// <summary>Checks a log page by page, carrying the chain from one page to the next.</summary>
    public sealed class Verifier
    {
        private string _previous = Genesis;
        private long _expected = 1;

        /// <summary>Checks the next entries; returns the first broken sequence number, or null.</summary>
        public long? FindBreak(IEnumerable<AuditEntry> entries)
        {
            foreach (var e in entries)
            {
                if (e.Sequence != _expected || e.PreviousHash != _previous
                    || e.Hash != ComputeHash(e.Sequence, e.At, e.Actor, e.Action, e.Subject, e.DataJson, e.PreviousHash))
                {
                    return e.Sequence;
                }

                _previous = e.Hash;
                _expected++;
            }

            return null;
        }
    }
}
