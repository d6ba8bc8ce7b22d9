using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Signals in SQLite.</summary>
public sealed class SqliteSignalStore(SqliteDatabase db) : ISignalStore
{
    /// <inheritdoc />
    public Task AddAsync(Signal signal, string incidentId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT OR IGNORE INTO signals (id, incident_id, observed_at, body) VALUES ($id, $incident, $at, $body)",
                cancellationToken,
                ("$id", signal.Id),
                ("$incident", incidentId),
                ("$at", SqliteDatabase.Time(signal.ObservedAt)),
                ("$body", JsonRows.Body(signal))),
            cancellationToken);

    /// <inheritdoc />
    public Task MoveAsync(IReadOnlyCollection<string> signalIds, string incidentId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            async (c, t) =>
            {
                foreach (var id in signalIds)
                {
                    await JsonRows.ExecuteAsync(c, t, "UPDATE signals SET incident_id = $incident WHERE id = $id", cancellationToken, ("$id", id), ("$incident", incidentId));
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Signal>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        db.ReadAsync(c => JsonRows.ListAsync<Signal>(c, "SELECT body FROM signals WHERE incident_id = $id ORDER BY observed_at, rowid", cancellationToken, ("$id", incidentId)), cancellationToken);
}
