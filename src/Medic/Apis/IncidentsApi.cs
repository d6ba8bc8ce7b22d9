using System.Text.Json.Nodes;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Signals;
using Medic.Core.Storage;
using Medic.Core.Workflows;
using Medic.Core.Audit;
using Medic.Core.Bus;
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
        api.MapPost("/{id}/merge", MergeAsync);
        api.MapPost("/{id}/split", SplitAsync);
        return app;
    }

    /// <summary>Merges other incidents into this one (they turned out to be one problem); correlation does it and records it on both timelines.</summary>
    private static async Task<Results<Accepted<IncidentsMergeRequested>, ProblemHttpResult>> MergeAsync(
        string id, MergeRequest? request, IIncidentStore incidents, IAuditLog audit, IBus bus, CancellationToken cancellationToken)
    {
        if (request?.Incidents is not { Count: > 0 } others || string.IsNullOrWhiteSpace(request.By))
        {
            return Problems.BadRequest("send {\"incidents\": [\"id\", ...], \"by\": \"your-name\"}: the incidents to merge into this one");
        }

        foreach (var incidentId in others.Prepend(id).Distinct(StringComparer.Ordinal))
        {
            if (await incidents.GetAsync(incidentId, cancellationToken) is not { } incident)
            {
                return Problems.NotFound($"no incident '{incidentId}'; GET /api/v1/incidents lists them");
            }

            if (incident.State is not (IncidentState.Open or IncidentState.Diagnosed))
            {
                return Problems.Conflict($"incident '{incidentId}' is {incident.State.ToString().ToLowerInvariant()}; only open or diagnosed incidents are merged (not one being remediated or closed)");
            }
        }

        var merge = new IncidentsMergeRequested(id, [.. others.Where(o => o != id).Distinct(StringComparer.Ordinal)], request.By);
        await audit.AppendAsync(request.By, "incident.merge_requested", id, merge, cancellationToken);
        await bus.PublishAsync(merge, cancellationToken);
        return TypedResults.Accepted($"/api/v1/incidents/{id}", merge);
    }

    /// <summary>Moves some of an incident's signals into a new incident (they are another problem).</summary>
    private static async Task<Results<Accepted<IncidentSplitRequested>, ProblemHttpResult>> SplitAsync(
        string id, SplitRequest? request, IIncidentStore incidents, ISignalStore signals, IAuditLog audit, IBus bus, CancellationToken cancellationToken)
    {
        if (request?.Signals is not { Count: > 0 } ids || string.IsNullOrWhiteSpace(request.By))
        {
            return Problems.BadRequest("send {\"signals\": [\"signal id\", ...], \"by\": \"your-name\"}: the signals to move into a new incident");
        }

        if (await incidents.GetAsync(id, cancellationToken) is not { } incident)
        {
            return Problems.NotFound($"no incident '{id}'; GET /api/v1/incidents lists them");
        }

        if (incident.State is not (IncidentState.Open or IncidentState.Diagnosed))
        {
            return Problems.Conflict($"incident '{id}' is {incident.State.ToString().ToLowerInvariant()}; only open or diagnosed incidents are split");
        }

        var held = (await signals.ListByIncidentAsync(id, cancellationToken)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.FirstOrDefault(s => !held.Contains(s)) is { } stranger)
        {
            return Problems.BadRequest($"signal '{stranger}' is not in incident '{id}'; GET /api/v1/incidents/{id} lists its signals");
        }

        if (ids.Distinct(StringComparer.Ordinal).Count() >= held.Count)
        {
            return Problems.BadRequest("leave at least one signal in the incident; to close it, resolve it instead");
        }

        var split = new IncidentSplitRequested(id, [.. ids.Distinct(StringComparer.Ordinal)], request.By);
        await audit.AppendAsync(request.By, "incident.split_requested", id, split, cancellationToken);
        await bus.PublishAsync(split, cancellationToken);
        return TypedResults.Accepted($"/api/v1/incidents/{id}", split);
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

    internal sealed record MergeRequest(IReadOnlyList<string>? Incidents, string? By);

    internal sealed record SplitRequest(IReadOnlyList<string>? Signals, string? By);
}
