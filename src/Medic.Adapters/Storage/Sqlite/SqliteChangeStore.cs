using Medic.Core.Changes;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Change events in SQLite.</summary>
public sealed class SqliteChangeStore(SqliteDatabase db) : IChangeStore
{
    /// <inheritdoc />
    public Task AddAsync(ChangeEvent change, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT OR IGNORE INTO changes (id, service, at, body) VALUES ($id, $service, $at, $body)",
                cancellationToken,
                ("$id", change.Id),
                ("$service", change.Service),
                ("$at", SqliteDatabase.Time(change.At)),
                ("$body", JsonRows.Body(change))),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ChangeEvent>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<ChangeEvent>(
                c,
                "SELECT body FROM changes WHERE at >= $from AND at <= $to ORDER BY at, rowid",
                cancellationToken,
                ("$from", SqliteDatabase.Time(from)),
                ("$to", SqliteDatabase.Time(to))),
            cancellationToken);
}
