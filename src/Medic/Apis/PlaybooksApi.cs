using System.Text.Json;
using System.Text.Json.Nodes;
using Medic.Adapters.Hosting;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/playbooks</c>: the playbooks in force (with version and revision) and the errors of
/// rejected files; a reload (for a Git push hook); a per-playbook kill switch; and a trial of a
/// playbook against an event, which runs nothing.
/// </summary>
internal static class PlaybooksApi
{
    public static IEndpointRouteBuilder MapPlaybooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/playbooks");
        api.MapGet("/", (PlaybookRepository repository) => TypedResults.Ok(List(repository)));
        api.MapPost("/reload", async (PlaybookReloader reloader, PlaybookRepository repository, CancellationToken cancellationToken) =>
        {
            await reloader.ReloadAsync(cancellationToken);
            return TypedResults.Ok(List(repository));
        });
        api.MapGet("/{id}/killswitch", async Task<Results<Ok<KillSwitchState>, ProblemHttpResult>> (string id, PlaybookRepository repository, KillSwitch killSwitch, CancellationToken cancellationToken) =>
            repository.Find(id) is null ? Problems.NotFound($"no playbook '{id}'; GET /api/v1/playbooks lists them") : TypedResults.Ok(await killSwitch.GetAsync(id, cancellationToken)));
        api.MapPost("/{id}/killswitch", SetKillSwitchAsync);
        api.MapPost("/{id}/test", Test);
        return app;
    }

    private static PlaybookList List(PlaybookRepository repository) => new(
        repository.Revision,
        repository.Playbooks.Select(p => new PlaybookSummary(p.Id, p.Description, p.Priority, p.Version, p.Revision, p.Source, p.Safety.AutomationLevel?.ToString(), p.Actions.Select(a => $"{a.Name} ({a.Type})").ToList())).ToList(),
        repository.Errors.Select(e => e.ToString()).ToList());

    private static async Task<Results<Ok<KillSwitchState>, ProblemHttpResult>> SetKillSwitchAsync(string id, KillSwitchApi.KillSwitchRequest? request, PlaybookRepository repository, KillSwitch killSwitch, CancellationToken cancellationToken)
    {
        if (repository.Find(id) is null)
        {
            return Problems.NotFound($"no playbook '{id}'; GET /api/v1/playbooks lists them");
        }

        if (request?.Engaged is not { } engaged || string.IsNullOrWhiteSpace(request.By))
        {
            return Problems.BadRequest("send {\"engaged\": true|false, \"by\": \"your-name\", \"reason\": \"why\"}");
        }

        return TypedResults.Ok(await killSwitch.SetAsync(engaged, request.By, request.Reason, cancellationToken, id));
    }

    private static Results<Ok<JsonNode>, ProblemHttpResult> Test(string id, JsonObject? context, PlaybookRepository repository, PolicyEngine policy)
    {
        if (repository.Find(id) is not { } playbook)
        {
            return Problems.NotFound($"no playbook '{id}'; GET /api/v1/playbooks lists them");
        }

        if (context is null)
        {
            return Problems.BadRequest("send the event as a JSON object, e.g. {\"anomaly\": {\"type\": \"PodOOMKilled\", ...}, \"service\": {...}}");
        }

        var outcome = PlaybookTrial.Run(playbook, (IReadOnlyDictionary<string, object?>)PlainTree.FromJson(context)!, policy);
        return TypedResults.Ok(JsonSerializer.SerializeToNode(outcome, MedicJson.Options)!);
    }

    internal sealed record PlaybookList(string Revision, IReadOnlyList<PlaybookSummary> Playbooks, IReadOnlyList<string> Errors);

    internal sealed record PlaybookSummary(string Id, string Description, int Priority, string Version, string Revision, string Source, string? AutomationLevel, IReadOnlyList<string> Steps);
}
