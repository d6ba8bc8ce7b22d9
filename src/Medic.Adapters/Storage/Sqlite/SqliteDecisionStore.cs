using Medic.Core.Decisions;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Decisions in SQLite.</summary>
public sealed class SqliteDecisionStore(SqliteDatabase db) : IDecisionStore
{
    /// <inheritdoc />
    public Task SaveAsync(Decision decision, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                """
                INSERT INTO decisions (id, incident_id, status, created_at, body) VALUES ($id, $incident, $status, $created, $body)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, body = excluded.body
                """,
                cancellationToken,
                ("$id", decision.Id),
                ("$incident", decision.IncidentId),
                ("$status", decision.Status.ToString()),
                ("$created", SqliteDatabase.Time(decision.CreatedAt)),
                ("$body", JsonRows.Body(decision))),
            cancellationToken);

    /// <inheritdoc />
    public Task<Decision?> GetAsync(string id, CancellationToken cancellationToken) =>
        JsonRows.FindAsync<Decision>(db, "decisions", id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Decision>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        db.ReadAsync(c => JsonRows.ListAsync<Decision>(c, "SELECT body FROM decisions WHERE incident_id = $id ORDER BY created_at, rowid", cancellationToken, ("$id", incidentId)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Decision>> ListAwaitingApprovalAsync(CancellationToken cancellationToken) =>
        db.ReadAsync(c => JsonRows.ListAsync<Decision>(c, "SELECT body FROM decisions WHERE status = $status ORDER BY created_at, rowid", cancellationToken, ("$status", nameof(DecisionStatus.AwaitingApproval))), cancellationToken);
}
