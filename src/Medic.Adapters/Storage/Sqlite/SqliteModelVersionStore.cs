using Medic.Core.Learning.Drift;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Model versions in SQLite.</summary>
public sealed class SqliteModelVersionStore(SqliteDatabase db) : IModelVersionStore
{
    /// <inheritdoc />
    public Task AddAsync(IReadOnlyList<ModelVersion> versions, CancellationToken cancellationToken) =>
        db.WriteAsync(
            async (c, t) =>
            {
                foreach (var version in versions)
                {
                    await JsonRows.ExecuteAsync(
                        c,
                        t,
                        "INSERT INTO model_versions (model, key, version, at, body) VALUES ($model, $key, $version, $at, $body)",
                        cancellationToken,
                        ("$model", version.Model),
                        ("$key", version.Key),
                        ("$version", version.Version),
                        ("$at", SqliteDatabase.Time(version.At)),
                        ("$body", JsonRows.Body(version)));
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelVersion>> ListAsync(int limit, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<ModelVersion>(c, "SELECT body FROM model_versions ORDER BY seq DESC LIMIT $limit", cancellationToken, ("$limit", limit)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelVersion>> ListAsync(string model, int limit, CancellationToken cancellationToken) =>
        db.ReadAsync(
            c => JsonRows.ListAsync<ModelVersion>(c, "SELECT body FROM model_versions WHERE model = $model ORDER BY seq DESC LIMIT $limit", cancellationToken, ("$model", model), ("$limit", limit)),
            cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion?> LatestSwappedAsync(string model, CancellationToken cancellationToken) =>
        (await db.ReadAsync(
            c => JsonRows.ListAsync<ModelVersion>(c, "SELECT body FROM model_versions WHERE model = $model AND json_extract(body, '$.swapped') = 1 ORDER BY seq DESC LIMIT 1", cancellationToken, ("$model", model)),
            cancellationToken)) is [var latest, ..] ? latest : null;
}
