using Medic.Core.Audit;
using Medic.Core.Storage;
using Medic.Core.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary><c>/api/v1/runs</c>: a run with its steps, and stopping a run in flight.</summary>
internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/runs");
        api.MapGet("/{id}", async Task<Results<Ok<Run>, ProblemHttpResult>> (string id, IRunStore runs, CancellationToken cancellationToken) =>
            await runs.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"no run '{id}'; GET /api/v1/incidents/ID lists an incident's runs"));
        api.MapPost("/{id}/cancel", CancelAsync);
        return app;
    }

    /// <summary>Stops a run: the step in flight is cancelled and nothing after it runs; the incident is escalated.</summary>
    internal static async Task<Results<Accepted<Run>, ProblemHttpResult>> CancelAsync(
        string id, CancelRequest? request, IRunStore runs, RunCancellations cancellations, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By) || string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.BadRequest("say who stops the run and why: send {\"by\": \"your-name\", \"reason\": \"...\"}");
        }

        if (await runs.GetAsync(id, cancellationToken) is not { } run)
        {
            return Problems.NotFound($"no run '{id}'");
        }

        // A run already finished is not stopped again, even while the process is still letting go of it.
        if (run.State != RunState.Running || !cancellations.Cancel(id, $"by {request.By}: {request.Reason}"))
        {
            return Problems.Conflict($"run '{id}' is {run.State}, not running here; nothing to stop");
        }

        await audit.AppendAsync(request.By, "run.cancel_requested", id, new { run.IncidentId, run.PlaybookId, request.Reason }, cancellationToken);
        return TypedResults.Accepted($"/api/v1/runs/{id}", run);
    }

    internal sealed record CancelRequest(string? By, string? Reason);
}
