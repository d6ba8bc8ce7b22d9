using Medic.Core.Incidents;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Incidents and timelines in SQLite.</summary>
public sealed class SqliteIncidentStore(SqliteDatabase db) : IIncidentStore
{
    private const string Upsert = """
        INSERT INTO incidents (id, state, opened_at, updated_at, body) VALUES ($id, $state, $opened, $updated, $body)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, body = excluded.body
        """;

    /// <inheritdoc />
    public Task CreateAsync(Incident incident, CancellationToken cancellationToken) =>
        db.WriteAsync((c, t) => SaveAsync(c, t, incident, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<Incident?> UpdateAsync(string id, Func<Incident, Incident> change, CancellationToken cancellationToken) =>
        db.WriteAsync<Incident?>(
            async (c, t) =>
            {
                await using var select = SqliteDatabase.Command(c, "SELECT body FROM incidents WHERE id = $id", ("$id", id));
                select.Transaction = t;
                if (await select.ExecuteScalarAsync(cancellationToken) is not string body)
                {
                    return null;
                }

                var updated = change(JsonRows.Read<Incident>(body));
                await SaveAsync(c, t, updated, cancellationToken);
                return updated;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken) =>
        JsonRows.FindAsync<Incident>(db, "incidents", id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Incident>> ListAsync(bool activeOnly, int limit, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<Incident>(
                c,
                activeOnly
                    ? "SELECT body FROM incidents WHERE state NOT IN ('resolved', 'escalated', 'merged') ORDER BY opened_at DESC, rowid DESC LIMIT $limit"
                    : "SELECT body FROM incidents ORDER BY opened_at DESC, rowid DESC LIMIT $limit",
                cancellationToken,
                ("$limit", limit)),
            cancellationToken);

    /// <inheritdoc />
    public Task AppendTimelineAsync(TimelineEntry entry, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT INTO timeline (incident_id, at, stage, kind, message, data) VALUES ($incident, $at, $stage, $kind, $message, $data)",
                cancellationToken,
                ("$incident", entry.IncidentId),
                ("$at", SqliteDatabase.Time(entry.At)),
                ("$stage", entry.Stage),
                ("$kind", entry.Kind),
                ("$message", entry.Message),
                ("$data", entry.DataJson)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string incidentId, CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<TimelineEntry>>(
            async c =>
            {
                await using var command = SqliteDatabase.Command(c, "SELECT at, stage, kind, message, data FROM timeline WHERE incident_id = $id ORDER BY seq", ("$id", incidentId));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<TimelineEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new TimelineEntry(incidentId, SqliteDatabase.Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3))
                    {
                        DataJson = reader.IsDBNull(4) ? null : reader.GetString(4),
                    });
                }

                return entries;
            },
            cancellationToken);

    private static Task SaveAsync(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, Incident incident, CancellationToken cancellationToken) =>
        JsonRows.ExecuteAsync(
            c,
            t,
            Upsert,
            cancellationToken,
            ("$id", incident.Id),
            ("$state", incident.State.ToString().ToLowerInvariant()),
            ("$opened", SqliteDatabase.Time(incident.OpenedAt)),
            ("$updated", SqliteDatabase.Time(incident.UpdatedAt)),
            ("$body", JsonRows.Body(incident)));
}
