using Medic.Core.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary><c>/api/v1/killswitch</c>: while engaged, nothing is executed and everything is still recorded.</summary>
internal static class KillSwitchApi
{
    public static IEndpointRouteBuilder MapKillSwitchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/killswitch", async (KillSwitch killSwitch, CancellationToken cancellationToken) =>
            TypedResults.Ok(await killSwitch.GetAsync(cancellationToken)));
        app.MapPost("/api/v1/killswitch", SetAsync);
        return app;
    }

    private static async Task<Results<Ok<KillSwitchState>, ProblemHttpResult>> SetAsync(KillSwitchRequest? request, KillSwitch killSwitch, CancellationToken cancellationToken)
    {
        if (request?.Engaged is not { } engaged || string.IsNullOrWhiteSpace(request.By))
        {
            return Problems.BadRequest("send {\"engaged\": true|false, \"by\": \"your-name\", \"reason\": \"why\"}");
        }

        return TypedResults.Ok(await killSwitch.SetAsync(engaged, request.By, request.Reason, cancellationToken));
    }

    internal sealed record KillSwitchRequest(bool? Engaged, string? By, string? Reason);
}
