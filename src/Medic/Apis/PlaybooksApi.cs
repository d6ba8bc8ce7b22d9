using Medic.Core.Playbooks;

namespace Medic.Apis;

/// <summary><c>GET /api/v1/playbooks</c>: the loaded playbooks and the errors of rejected files.</summary>
internal static class PlaybooksApi
{
    public static IEndpointRouteBuilder MapPlaybooksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/playbooks", (PlaybookCatalog catalog) => TypedResults.Ok(new PlaybookList(
            catalog.Playbooks.Select(p => new PlaybookSummary(p.Id, p.Description, p.Priority, p.Version, p.Source, p.Safety.AutomationLevel?.ToString(), p.Actions.Select(a => $"{a.Name} ({a.Type})").ToList())).ToList(),
            catalog.Errors.Select(e => e.ToString()).ToList())));
        return app;
    }

    internal sealed record PlaybookList(IReadOnlyList<PlaybookSummary> Playbooks, IReadOnlyList<string> Errors);

    internal sealed record PlaybookSummary(string Id, string Description, int Priority, string Version, string Source, string? AutomationLevel, IReadOnlyList<string> Steps);
}
