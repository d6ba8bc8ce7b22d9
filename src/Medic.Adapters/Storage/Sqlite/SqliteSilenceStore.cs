using Medic.Core.Incidents.Silences;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Silences in SQLite.</summary>
public sealed class SqliteSilenceStore(SqliteDatabase db) : ISilenceStore
{
    /// <inheritdoc />
    public Task SaveAsync(Silence silence, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT INTO silences (id, ends_at, body) VALUES ($id, $ends, $body) ON CONFLICT(id) DO UPDATE SET ends_at = excluded.ends_at, body = excluded.body",
                cancellationToken,
                ("$id", silence.Id),
                ("$ends", SqliteDatabase.Time(silence.EndsAt)),
                ("$body", JsonRows.Body(silence))),
            cancellationToken);

    /// <inheritdoc />
    public Task<Silence?> GetAsync(string id, CancellationToken cancellationToken) => JsonRows.FindAsync<Silence>(db, "silences", id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Silence>> ListAsync(DateTimeOffset? endingAfter, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<Silence>(
                c,
                "SELECT body FROM silences WHERE ends_at > $after ORDER BY rowid DESC",
                cancellationToken,
                ("$after", endingAfter is { } after ? SqliteDatabase.Time(after) : long.MinValue)),
            cancellationToken);
}
