using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>
/// The SQLite file behind every store: WAL journal (readers never block the writer), schema
/// migrations applied on open, and one writer at a time so that writes never meet SQLITE_BUSY.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString;

    /// <summary>Opens (creating when missing) and migrates the database.</summary>
    public SqliteDatabase(SqliteOptions options)
    {
        var full = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        FilePath = full;
        Migrate();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>The schema version (number of migrations applied).</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Runs a read on a pooled connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>Runs a write in a transaction, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Runs a write that returns nothing.</summary>
    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) => { await write(c, t); return true; }, cancellationToken);

    /// <summary>A command with named parameters (<c>$name</c>).</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Every SQL text is a constant of this assembly; values go through parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Unix milliseconds, the store's time format.</summary>
    public static long Time(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Back from Unix milliseconds.</summary>
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private void Migrate()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var wal = Command(connection, "PRAGMA journal_mode=WAL;"))
        {
            wal.ExecuteNonQuery();
        }

        using var version = Command(connection, "PRAGMA user_version;");
        var current = Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > SqliteMigrations.All.Count)
        {
            throw new InvalidOperationException(
                $"The database {FilePath} has schema version {current}, newer than this Medic knows ({SqliteMigrations.All.Count}). Run a newer Medic, or point --data at another file.");
        }

        for (var i = current; i < SqliteMigrations.All.Count; i++)
        {
            using var transaction = connection.BeginTransaction();
            using (var migrate = Command(connection, SqliteMigrations.All[i]))
            {
                migrate.Transaction = transaction;
                migrate.ExecuteNonQuery();
            }

            using (var bump = Command(connection, $"PRAGMA user_version = {i + 1};"))
            {
                bump.Transaction = transaction;
                bump.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        SchemaVersion = SqliteMigrations.All.Count;
    }
}
