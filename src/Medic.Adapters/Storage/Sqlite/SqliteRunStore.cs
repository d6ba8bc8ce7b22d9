using Medic.Core.Storage;
using Medic.Core.Workflows;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Workflow runs in SQLite, each with its steps in the body.</summary>
public sealed class SqliteRunStore(SqliteDatabase db) : IRunStore
{
    /// <inheritdoc />
    public Task SaveAsync(Run run, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                """
                INSERT INTO runs (id, incident_id, decision_id, state, started_at, body) VALUES ($id, $incident, $decision, $state, $started, $body)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, body = excluded.body
                """,
                cancellationToken,
                ("$id", run.Id),
                ("$incident", run.IncidentId),
                ("$decision", run.DecisionId),
                ("$state", run.State.ToString()),
                ("$started", SqliteDatabase.Time(run.StartedAt)),
                ("$body", JsonRows.Body(run))),
            cancellationToken);

    /// <inheritdoc />
    public Task<Run?> GetAsync(string id, CancellationToken cancellationToken) =>
        JsonRows.FindAsync<Run>(db, "runs", id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Run>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<Run>(
                c,
                "SELECT body FROM runs WHERE started_at >= $since OR state = $running ORDER BY started_at, rowid",
                cancellationToken,
                ("$since", SqliteDatabase.Time(since)),
                ("$running", nameof(RunState.Running))),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Run>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        db.ReadAsync(c => JsonRows.ListAsync<Run>(c, "SELECT body FROM runs WHERE incident_id = $id ORDER BY started_at, rowid", cancellationToken, ("$id", incidentId)), cancellationToken);
}
