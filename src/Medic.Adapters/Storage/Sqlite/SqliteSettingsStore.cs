using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Settings in SQLite.</summary>
public sealed class SqliteSettingsStore(SqliteDatabase db) : ISettingsStore
{
    /// <inheritdoc />
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        db.ReadAsync(
            async c =>
            {
                await using var command = SqliteDatabase.Command(c, "SELECT value FROM settings WHERE key = $key", ("$key", key));
                return await command.ExecuteScalarAsync(cancellationToken) as string;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task SetAsync(string key, string json, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, t) => JsonRows.ExecuteAsync(
                c,
                t,
                "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                cancellationToken,
                ("$key", key),
                ("$value", json)),
            cancellationToken);
}
