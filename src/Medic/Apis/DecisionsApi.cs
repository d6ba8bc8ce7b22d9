using Medic.Core.Decisions;
using Medic.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/decisions</c>: a decision with its matches and rails; approve, reject and withdraw it
/// by id; and ask for a playbook run on an incident as a person (who then may not approve it).
/// </summary>
internal static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/decisions");
        api.MapGet("/{id}", async Task<Results<Ok<Decision>, ProblemHttpResult>> (string id, IDecisionStore decisions, CancellationToken cancellationToken) =>
            await decisions.GetAsync(id, cancellationToken) is { } decision ? TypedResults.Ok(decision) : Problems.NotFound($"no decision '{id}'"));
        api.MapPost("/{id}/approve", (string id, IncidentsApi.ApprovalRequest? request, ApprovalService approvals, CancellationToken cancellationToken) =>
            IncidentsApi.ApproveAsync(id, request, approvals, cancellationToken));
        api.MapPost("/{id}/reject", (string id, IncidentsApi.RejectionRequest? request, ApprovalService approvals, CancellationToken cancellationToken) =>
            IncidentsApi.RejectAsync(id, request, approvals, cancellationToken));
        api.MapPost("/{id}/withdraw", WithdrawAsync);
        api.MapPost("/", RequestAsync);
        return app;
    }

    /// <summary>Withdraws an approval: a run in flight is cancelled, a run not started never starts.</summary>
    private static async Task<Results<Ok<Decision>, ProblemHttpResult>> WithdrawAsync(string id, IncidentsApi.RejectionRequest? request, ApprovalService approvals, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By))
        {
            return Problems.BadRequest("say who withdraws the approval and why: send {\"by\": \"your-name\", \"reason\": \"...\"}");
        }

        return IncidentsApi.ToResult(await approvals.WithdrawAsync(id, request.By, request.Reason ?? "", cancellationToken));
    }

    /// <summary>A person asks for a playbook on an incident: matched and held to policy like any decision.</summary>
    private static async Task<Results<Created<Decision>, ProblemHttpResult>> RequestAsync(RunRequest? request, IIncidentStore incidents, DecisionMaker maker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By) || string.IsNullOrWhiteSpace(request.IncidentId) || string.IsNullOrWhiteSpace(request.PlaybookId))
        {
            return Problems.BadRequest("send {\"incident_id\": \"...\", \"playbook_id\": \"...\", \"by\": \"your-name\"}");
        }

        if (await incidents.GetAsync(request.IncidentId, cancellationToken) is not { } incident)
        {
            return Problems.NotFound($"no incident '{request.IncidentId}'");
        }

        if (incident.RootCause is not { } rootCause)
        {
            return Problems.Conflict($"incident '{incident.Id}' has no diagnosis yet; a playbook acts on a diagnosed root cause");
        }

        var decision = await maker.DecideAsync(incident, rootCause, request.By, request.PlaybookId, cancellationToken);
        if (decision.Status == DecisionStatus.NoMatch)
        {
            return Problems.Conflict($"{decision.Reason}: {string.Join("; ", decision.Matches.SelectMany(m => m.Reasons))}");
        }

        await maker.RecordAsync(decision, cancellationToken);
        return TypedResults.Created($"/api/v1/decisions/{decision.Id}", decision);
    }

    internal sealed record RunRequest(string? IncidentId, string? PlaybookId, string? By);
}
