using System.Text.Json;
using Medic.Core.Json;
using Microsoft.Data.Sqlite;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Reads and writes the JSON <c>body</c> column shared by the record tables.</summary>
internal static class JsonRows
{
    public static string Body<T>(T value) => JsonSerializer.Serialize(value, MedicJson.Options);

    public static T Read<T>(string body) =>
        JsonSerializer.Deserialize<T>(body, MedicJson.Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is empty.");

    /// <summary>Runs a query whose first column is a body, and reads every row.</summary>
    public static async Task<IReadOnlyList<T>> ListAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = SqliteDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read<T>(reader.GetString(0)));
        }

        return rows;
    }

    /// <summary>Reads the body of the row with this id from <paramref name="table"/>, or null.</summary>
    public static async Task<T?> FindAsync<T>(SqliteDatabase db, string table, string id, CancellationToken cancellationToken)
        where T : class
    {
        var rows = await db.ReadAsync(c => ListAsync<T>(c, $"SELECT body FROM {table} WHERE id = $id", cancellationToken, ("$id", id)), cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Runs a statement.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = SqliteDatabase.Command(connection, sql, parameters);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
