using Medic.Core.Learning;
using Medic.Core.Learning.Drift;
using Medic.Core.Playbooks;
using Medic.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/learning</c>: what Medic has learnt of which playbook fixes which kind of incident (a
/// Beta posterior per signature and playbook), and forgetting it for one signature; how precise each
/// detector is by operators' feedback; the detectors' model versions and what models in shadow would have raised.
/// </summary>
internal static class LearningApi
{
    public static IEndpointRouteBuilder MapLearningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/learning", async (PlaybookLearner learner, CancellationToken cancellationToken) =>
        {
            var snapshot = await learner.SnapshotAsync(cancellationToken);
            var (log, greedy) = await learner.DecisionsAsync(cancellationToken);
            return TypedResults.Ok(new
            {
                learner.Options.Enabled,
                RiskCeiling = learner.Options.RiskCeiling,
                LoggedDecisions = log.Count,
                Greedy = greedy,
                Signatures = snapshot.ToDictionary(
                    s => s.Key,
                    s => s.Value.ToDictionary(a => a.Key, a => new { a.Value.Alpha, a.Value.Beta, ExpectedSuccess = a.Value.Mean, Outcomes = a.Value.Pulls }, StringComparer.Ordinal),
                    StringComparer.Ordinal),
            });
        });
        app.MapDelete("/api/v1/learning/{signature}", ResetAsync);
        app.MapGet("/api/v1/learning/detectors", async (DetectorFeedback feedback, CancellationToken cancellationToken) =>
            TypedResults.Ok(new { Detectors = (await feedback.PrecisionAsync(null, cancellationToken)).Select(d => new { d.Detector, d.TruePositives, d.FalsePositives, d.Precision }) }));
        app.MapGet("/api/v1/learning/models", async (IModelVersionStore versions, ModelRecords records, int? limit, CancellationToken cancellationToken) =>
            TypedResults.Ok(new
            {
                Versions = await versions.ListAsync(Math.Clamp(limit ?? 100, 1, 1_000), cancellationToken),
                ShadowAlarms = records.ShadowAlarms.GroupBy(a => (a.Model, a.Key)).Select(g => new { g.Key.Model, g.Key.Key, Count = g.Count(), Last = g.Max(a => a.At) }),
            }));
        app.MapPost("/api/v1/incidents/{id}/feedback", FeedbackAsync);
        app.MapPost("/api/v1/learning/train", TrainAsync);
        return app;
    }

    /// <summary>Runs the training job on the history of the last <c>{"since": "30d"}</c> (the default).</summary>
    private static async Task<Results<Ok<TrainingReport>, ProblemHttpResult>> TrainAsync(TrainRequest? request, TrainingJob job, CancellationToken cancellationToken)
    {
        var since = TrainingSince.Default;
        if (request?.Since is { } text && (!Durations.TryParse(text, out since) || since <= TimeSpan.Zero || since > TrainingSince.Longest))
        {
            return Problems.BadRequest($"since '{text}' is not a duration of at most {TrainingSince.Longest.TotalDays:0} days: send e.g. {{\"since\": \"12h\"}} or {{\"since\": \"30d\"}}");
        }

        return await job.TryRunAsync(since, TimeSpan.Zero, cancellationToken) is { } report
            ? TypedResults.Ok(report)
            : Problems.Conflict("a training run is already in progress; try again when it has finished");
    }

    internal sealed record TrainRequest(string? Since);

    /// <summary>An operator's word on an incident: <c>{"verdict": "true_positive"|"false_positive", "by", "note", "root_cause"}</c>.</summary>
    private static async Task<Results<Ok<IncidentFeedback>, ProblemHttpResult>> FeedbackAsync(string id, FeedbackRequest? request, DetectorFeedback feedback, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.By) || request.Verdict is not ("true_positive" or "false_positive"))
        {
            return Problems.BadRequest("send {\"verdict\": \"true_positive\" or \"false_positive\", \"by\": \"your-name\", \"note\": \"why\", \"root_cause\": \"the entity that caused it, for a real incident\"}");
        }

        if (request.RootCause is not null && (request.Verdict != "true_positive" || string.IsNullOrWhiteSpace(request.RootCause) || request.RootCause.Length > 253))
        {
            return Problems.BadRequest("root_cause names the entity that caused a real incident (a service such as checkout, or kind/name such as node/node-1, at most 253 characters); leave it out for a false alarm");
        }

        var verdict = request.Verdict == "true_positive" ? FeedbackVerdict.TruePositive : FeedbackVerdict.FalsePositive;
        return await feedback.RecordAsync(id, verdict, request.By, request.Note, request.RootCause?.Trim(), cancellationToken) is { } recorded
            ? TypedResults.Ok(recorded)
            : Problems.NotFound($"no incident '{id}'; GET /api/v1/incidents lists them");
    }

    internal sealed record FeedbackRequest(string? Verdict, string? By, string? Note, string? RootCause);

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetAsync(string signature, PlaybookLearner learner, CancellationToken cancellationToken) =>
        await learner.ResetAsync(signature, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"nothing is learnt for '{signature}'; GET /api/v1/learning lists the signatures (fault kind|tier|entity kind)");
}
