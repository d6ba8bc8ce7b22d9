using System.Text.Json.Nodes;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Signals;
using Medic.Core.Storage;
using Medic.Core.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/incidents</c>: the incidents, one with its whole story, and the approve and reject
/// buttons of L1 decisions.
/// </summary>
internal static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents");
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/approve", ApproveAsync);
        api.MapPost("/{id}/reject", RejectAsync);
        return app;
    }

    private static async Task<Results<Ok<IncidentList>, ProblemHttpResult>> ListAsync(IIncidentStore incidents, bool? active, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.BadRequest($"limit must be between 1 and 1000, got {limit}");
        }

        return TypedResults.Ok(new IncidentList(await incidents.ListAsync(active ?? false, limit ?? 100, cancellationToken)));
    }

    private static async Task<Results<Ok<IncidentDetail>, ProblemHttpResult>> GetAsync(
        string id, IIncidentStore incidents, ISignalStore signals, IDecisionStore decisions, IRunStore runs, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound($"no incident '{id}'; GET /api/v1/incidents lists them");
        }

        var timeline = (await incidents.GetTimelineAsync(id, cancellationToken))
            .Select(e => new TimelineItem(e.At, e.Stage, e.Kind, e.Message, e.DataJson is null ? null : JsonNode.Parse(e.DataJson)))
            .ToList();
        return TypedResults.Ok(new IncidentDetail(
            incident,
            timeline,
            await signals.ListByIncidentAsync(id, cancellationToken),
            await decisions.ListByIncidentAsync(id, cancellationToken),
            await runs.ListByIncidentAsync(id, cancellationToken)));
    }

    internal static async Task<Results<Ok<Decision>, ProblemHttpResult>> ApproveAsync(string id, ApprovalRequest? request, ApprovalService approvals, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By))
        {
            return Problems.BadRequest("say who approves: send {\"by\": \"your-name\", \"note\": \"optional\"}");
        }

        return ToResult(await approvals.ApproveAsync(id, request.By, request.Note, cancellationToken));
    }

    internal static async Task<Results<Ok<Decision>, ProblemHttpResult>> RejectAsync(string id, RejectionRequest? request, ApprovalService approvals, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By))
        {
            return Problems.BadRequest("say who rejects and why: send {\"by\": \"your-name\", \"reason\": \"...\"}");
        }

        return ToResult(await approvals.RejectAsync(id, request.By, request.Reason ?? "", cancellationToken));
    }

    internal static Results<Ok<Decision>, ProblemHttpResult> ToResult(ApprovalResult result) => result.Outcome switch
    {
        ApprovalOutcome.Done => TypedResults.Ok(result.Decision!),
        ApprovalOutcome.NotFound => Problems.NotFound(result.Message),
        ApprovalOutcome.Forbidden => Problems.Forbidden(result.Message),
        ApprovalOutcome.Invalid => Problems.BadRequest(result.Message),
        _ => Problems.Conflict(result.Message),
    };

    internal sealed record IncidentList(IReadOnlyList<Incident> Incidents);

    internal sealed record TimelineItem(DateTimeOffset At, string Stage, string Kind, string Message, JsonNode? Data);

    internal sealed record IncidentDetail(
        Incident Incident,
        IReadOnlyList<TimelineItem> Timeline,
        IReadOnlyList<Signal> Signals,
        IReadOnlyList<Decision> Decisions,
        IReadOnlyList<Run> Runs);

    internal sealed record ApprovalRequest(string? By, string? Note);

    internal sealed record RejectionRequest(string? By, string? Reason);
}
