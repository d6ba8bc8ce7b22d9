using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Incidents.Silences;
using Medic.Core.Playbooks;
using Medic.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/silences</c>: mute matching signals for a while (planned work, a known problem being
/// fixed). Every silence has matchers, a creator, a comment and an end; creating and expiring are audited.
/// </summary>
internal static class SilencesApi
{
    /// <summary>The longest a silence may run: longer ones are forgotten until they hide a real problem.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapSilencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/silences");
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/", CreateAsync);
        api.MapDelete("/{id}", ExpireAsync);
        return app;
    }

    private static async Task<Ok<SilenceList>> ListAsync(ISilenceStore silences, TimeProvider clock, bool? all, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SilenceList(await silences.ListAsync(all == true ? null : clock.GetUtcNow(), cancellationToken)));

    private static async Task<Results<Ok<Silence>, ProblemHttpResult>> GetAsync(string id, ISilenceStore silences, CancellationToken cancellationToken) =>
        await silences.GetAsync(id, cancellationToken) is { } silence ? TypedResults.Ok(silence) : Problems.NotFound($"no silence '{id}'; GET /api/v1/silences lists them");

    internal static async Task<Results<Created<Silence>, ProblemHttpResult>> CreateAsync(
        SilenceRequest? request, ISilenceStore silences, IAuditLog audit, IBus bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        const string Example = "send {\"matchers\": [\"service=cart\", \"alertname=~High.*\"], \"created_by\": \"your-name\", \"comment\": \"why\", \"duration\": \"2h\"} (or \"ends_at\" instead of \"duration\")";
        if (request?.Matchers is not { Count: > 0 } texts || string.IsNullOrWhiteSpace(request.CreatedBy) || string.IsNullOrWhiteSpace(request.Comment))
        {
            return Problems.BadRequest($"a silence needs matchers, created_by and comment: {Example}");
        }

        List<LabelMatcher> matchers;
        try
        {
            matchers = [.. texts.Select(LabelMatcher.Parse)];
        }
        catch (FormatException e)
        {
            return Problems.BadRequest(e.Message);
        }

        if (matchers.All(m => m.Matches(Everything)))
        {
            return Problems.BadRequest("these matchers match every signal (even one with no labels); name at least one label value to silence");
        }

        var now = clock.GetUtcNow();
        var starts = request.StartsAt ?? now;
        TimeSpan duration = default;
        if (request.Duration is { } text && (!Durations.TryParse(text, out duration) || duration <= TimeSpan.Zero))
        {
            return Problems.BadRequest($"duration '{text}' is not a positive duration; write e.g. 30m, 2h or 1d");
        }

        var ends = request.EndsAt ?? (request.Duration is null ? (DateTimeOffset?)null : starts + duration);
        if (ends is not { } end || end <= starts || end <= now)
        {
            return Problems.BadRequest($"a silence needs an end after its start and after now: {Example}");
        }

        if (end - starts > MaxLength)
        {
            return Problems.BadRequest($"a silence may last at most {MaxLength.TotalDays:0} days; make a new one when it ends");
        }

        var silence = new Silence
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Matchers = matchers,
            CreatedBy = request.CreatedBy,
            Comment = request.Comment,
            StartsAt = starts,
            EndsAt = end,
        };
        await silences.SaveAsync(silence, cancellationToken);
        await audit.AppendAsync(silence.CreatedBy, "silence.created", silence.Id, silence, cancellationToken);
        await bus.PublishAsync(new SilencesChanged(), cancellationToken);
        return TypedResults.Created($"/api/v1/silences/{silence.Id}", silence);
    }

    private static async Task<Results<Ok<Silence>, ProblemHttpResult>> ExpireAsync(
        string id, string? by, ISilenceStore silences, IAuditLog audit, IBus bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            return Problems.BadRequest($"say who expires it: DELETE /api/v1/silences/{id}?by=your-name");
        }

        if (await silences.GetAsync(id, cancellationToken) is not { } silence)
        {
            return Problems.NotFound($"no silence '{id}'; GET /api/v1/silences?all=true lists them");
        }

        var now = clock.GetUtcNow();
        if (silence.EndsAt <= now)
        {
            return TypedResults.Ok(silence);
        }

        var expired = silence with { EndsAt = now, StartsAt = silence.StartsAt > now ? now : silence.StartsAt };
        await silences.SaveAsync(expired, cancellationToken);
        await audit.AppendAsync(by, "silence.expired", id, expired, cancellationToken);
        await bus.PublishAsync(new SilencesChanged(), cancellationToken);
        return TypedResults.Ok(expired);
    }

    /// <summary>A signal with nothing set: matchers that match it match everything.</summary>
    private static readonly Core.Signals.Signal Everything = new()
    {
        Id = "",
        Source = "",
        Type = "",
        Entity = new Core.Signals.Entity("", ""),
        Score = 0,
        Confidence = 0,
        ObservedAt = default,
        Summary = "",
    };

    internal sealed record SilenceRequest(IReadOnlyList<string>? Matchers, string? CreatedBy, string? Comment, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Duration);

    internal sealed record SilenceList(IReadOnlyList<Silence> Silences);
}
