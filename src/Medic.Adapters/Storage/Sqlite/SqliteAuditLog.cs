using System.Text.Json;
using Medic.Core.Audit;
using Medic.Core.Json;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>The hash-chained audit log in SQLite; triggers refuse updates and deletes.</summary>
public sealed class SqliteAuditLog(SqliteDatabase db, TimeProvider clock) : IAuditLog
{
    private const string Columns = "seq, at, actor, action, subject, data, prev_hash, hash";

    /// <inheritdoc />
    public Task<AuditEntry> AppendAsync(string actor, string action, string subject, object? data, CancellationToken cancellationToken) =>
        db.WriteAsync(
            async (c, t) =>
            {
                var (sequence, previous) = (1L, AuditChain.Genesis);
                await using (var last = SqliteDatabase.Command(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
                {
                    last.Transaction = t;
                    await using var reader = await last.ExecuteReaderAsync(cancellationToken);
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        (sequence, previous) = (reader.GetInt64(0) + 1, reader.GetString(1));
                    }
                }

                // Millisecond precision: what is stored is what is hashed.
                var at = SqliteDatabase.Time(SqliteDatabase.Time(clock.GetUtcNow()));
                var json = data is null ? "{}" : JsonSerializer.Serialize(data, data.GetType(), MedicJson.Options);
                var entry = new AuditEntry(sequence, at, actor, action, subject, json, previous, AuditChain.ComputeHash(sequence, at, actor, action, subject, json, previous));
                await JsonRows.ExecuteAsync(
                    c,
                    t,
                    $"INSERT INTO audit_log ({Columns}) VALUES ($seq, $at, $actor, $action, $subject, $data, $prev, $hash)",
                    cancellationToken,
                    ("$seq", entry.Sequence),
                    ("$at", SqliteDatabase.Time(entry.At)),
                    ("$actor", entry.Actor),
                    ("$action", entry.Action),
                    ("$subject", entry.Subject),
                    ("$data", entry.DataJson),
                    ("$prev", entry.PreviousHash),
                    ("$hash", entry.Hash));
                return entry;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(
            async c =>
            {
                await using var command = SqliteDatabase.Command(c, $"SELECT {Columns} FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $limit", ("$after", afterSequence), ("$limit", limit));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<AuditEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new AuditEntry(
                        reader.GetInt64(0), SqliteDatabase.Time(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                        reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7)));
                }

                return entries;
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<long?> VerifyAsync(CancellationToken cancellationToken)
    {
        var chain = new AuditChain.Verifier();
        for (var page = await ListAsync(0, 1000, cancellationToken); page.Count > 0; page = await ListAsync(page[^1].Sequence, 1000, cancellationToken))
        {
            if (chain.FindBreak(page) is { } broken)
            {
                return broken;
            }
        }

        return null;
    }
}
