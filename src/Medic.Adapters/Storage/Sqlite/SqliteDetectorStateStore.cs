using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>The detectors' state in SQLite: one row, replaced at each save.</summary>
public sealed class SqliteDetectorStateStore(SqliteDatabase db, TimeProvider clock) : IDetectorStateStore
{
    /// <inheritdoc />
    public Task<byte[]?> LoadAsync(CancellationToken cancellationToken) =>
        db.ReadAsync<byte[]?>(
            async c =>
            {
                await using var command = SqliteDatabase.Command(c, "SELECT state FROM detector_state WHERE id = 1");
                return await command.ExecuteScalarAsync(cancellationToken) as byte[];
            },
            cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(byte[] state, CancellationToken cancellationToken) =>
        db.WriteAsync(
            async (c, t) =>
            {
                await using var command = SqliteDatabase.Command(c, "INSERT INTO detector_state (id, state, saved_at) VALUES (1, $state, $at) ON CONFLICT(id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at");
                command.Transaction = t;
                command.Parameters.AddWithValue("$state", state);
                command.Parameters.AddWithValue("$at", SqliteDatabase.Time(clock.GetUtcNow()));
                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
