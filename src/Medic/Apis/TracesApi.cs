using Medic.Core.Traces;

namespace Medic.Apis;

/// <summary><c>GET /api/v1/traces/{id}</c> and <c>GET /api/v1/spans?service=&amp;limit=</c>: recent spans.</summary>
internal static class TracesApi
{
    public static IEndpointRouteBuilder MapTracesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/traces/{id}", (string id, SpanStore spans) =>
            spans.Trace(id.ToLowerInvariant()) is { Count: > 0 } trace ? Results.Ok(new { trace_id = id, spans = trace }) : Problems.NotFound($"no recent spans of trace {id}"));
        app.MapGet("/api/v1/spans", (string? service, int? limit, SpanStore spans) =>
            limit is < 1 or > 10_000 ? Problems.BadRequest($"limit must be between 1 and 10000, got {limit}") : Results.Ok(new { spans = spans.Recent(service, limit ?? 100) }));
        return app;
    }
}
