using Medic.Adapters.Storage.Sqlite;
using Medic.Core.Policy;

namespace Medic.Apis;

/// <summary><c>GET /healthz</c>: whether Medic is up, its schema version, and the kill switch.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (SqliteDatabase db, KillSwitch killSwitch, CancellationToken cancellationToken) =>
            TypedResults.Ok(new Health("ok", db.SchemaVersion, (await killSwitch.GetAsync(cancellationToken)).Engaged)));
        return app;
    }

    internal sealed record Health(string Status, int SchemaVersion, bool KillswitchEngaged);
}
