using Medic.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary><c>/api/v1/audit</c>: the hash-chained audit log, and a check of the chain.</summary>
internal static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", ListAsync);
        app.MapGet("/api/v1/audit/verify", async (IAuditLog audit, CancellationToken cancellationToken) =>
            TypedResults.Ok(await audit.VerifyAsync(cancellationToken) is { } broken ? new Verification(false, broken) : new Verification(true, null)));
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAsync(IAuditLog audit, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.BadRequest($"limit must be between 1 and 1000, got {limit}");
        }

        return TypedResults.Ok(new AuditPage(await audit.ListAsync(after ?? 0, limit ?? 100, cancellationToken)));
    }

    internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries);

    internal sealed record Verification(bool Intact, long? BrokenAt);
}
