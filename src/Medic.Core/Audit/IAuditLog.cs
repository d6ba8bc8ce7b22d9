namespace Medic.Core.Audit;

/// <summary>The append-only, hash-chained record of every decision and action.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry; <paramref name="data"/> is stored as JSON.</summary>
    Task<AuditEntry> AppendAsync(string actor, string action, string subject, object? data, CancellationToken cancellationToken);

    /// <summary>Entries after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Verifies the whole chain; returns the first broken sequence number, or null when intact.</summary>
    Task<long?> VerifyAsync(CancellationToken cancellationToken);
}
