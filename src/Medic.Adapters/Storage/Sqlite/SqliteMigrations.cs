namespace Medic.Adapters.Storage.Sqlite;

/// <summary>
/// The schema, as ordered migrations. A database records the last one applied in
/// <c>PRAGMA user_version</c>; append new migrations, never edit applied ones.
/// Rows keep their full record as JSON in <c>body</c>; the other columns exist to be queried.
/// Times are Unix milliseconds.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<string> All =
    [
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY, state TEXT NOT NULL, opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_incidents_state ON incidents(state);
        CREATE INDEX ix_incidents_opened ON incidents(opened_at);
        CREATE TABLE timeline (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, at INTEGER NOT NULL,
            stage TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL, data TEXT);
        CREATE INDEX ix_timeline_incident ON timeline(incident_id, seq);
        CREATE TABLE signals (
            id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, observed_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_signals_incident ON signals(incident_id, observed_at);
        CREATE TABLE changes (
            id TEXT PRIMARY KEY, service TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_changes_at ON changes(at);
        CREATE TABLE decisions (
            id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_decisions_incident ON decisions(incident_id, created_at);
        CREATE INDEX ix_decisions_status ON decisions(status);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, decision_id TEXT NOT NULL, state TEXT NOT NULL,
            started_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_runs_incident ON runs(incident_id, started_at);
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
            data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE pending_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, subscriber TEXT NOT NULL, topic TEXT NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_pending_subscriber ON pending_messages(subscriber, seq);
        """,
        """
        CREATE TABLE log_templates (partition TEXT PRIMARY KEY, state TEXT NOT NULL, saved_at INTEGER NOT NULL);
        """,
        """
        CREATE TABLE detector_state (id INTEGER PRIMARY KEY CHECK (id = 1), state BLOB NOT NULL, saved_at INTEGER NOT NULL);
        """,
        """
        CREATE TABLE silences (id TEXT PRIMARY KEY, ends_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_silences_ends ON silences(ends_at);
        """,
        """
        CREATE TABLE model_versions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
            at INTEGER NOT NULL, body TEXT NOT NULL);
        """,
    ];
}
