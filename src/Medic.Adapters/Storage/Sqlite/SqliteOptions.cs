namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Settings of the SQLite store.</summary>
public sealed class SqliteOptions
{
    /// <summary>The database file; its directory is created when missing. Default <c>data/medic.db</c>.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "medic.db");
}
