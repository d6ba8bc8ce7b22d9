using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Log template states in SQLite, one row per partition.</summary>
public sealed class SqliteLogTemplateStore(SqliteDatabase db, TimeProvider clock) : ILogTemplateStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> LoadAsync(CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyDictionary<string, string>>(
            async c =>
            {
                await using var command = SqliteDatabase.Command(c, "SELECT partition, state FROM log_templates");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var states = new Dictionary<string, string>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken))
                {
                    states[reader.GetString(0)] = reader.GetString(1);
                }

                return states;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(string partition, string stateJson, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT INTO log_templates (partition, state, saved_at) VALUES ($partition, $state, $at) ON CONFLICT(partition) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at",
                cancellationToken,
                ("$partition", partition),
                ("$state", stateJson),
                ("$at", SqliteDatabase.Time(clock.GetUtcNow()))),
            cancellationToken);
}
