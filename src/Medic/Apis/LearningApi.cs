using Medic.Core.Learning;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medic.Apis;

/// <summary>
/// <c>/api/v1/learning</c>: what Medic has learnt of which playbook fixes which kind of incident (a
/// Beta posterior per signature and playbook), and forgetting it for one signature.
/// </summary>
internal static class LearningApi
{
    public static IEndpointRouteBuilder MapLearningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/learning", async (PlaybookLearner learner, CancellationToken cancellationToken) =>
        {
            var snapshot = await learner.SnapshotAsync(cancellationToken);
            return TypedResults.Ok(new
            {
                learner.Options.Enabled,
                RiskCeiling = learner.Options.RiskCeiling,
                Signatures = snapshot.ToDictionary(
                    s => s.Key,
                    s => s.Value.ToDictionary(a => a.Key, a => new { a.Value.Alpha, a.Value.Beta, ExpectedSuccess = a.Value.Mean, Outcomes = a.Value.Pulls }, StringComparer.Ordinal),
                    StringComparer.Ordinal),
            });
        });
        app.MapDelete("/api/v1/learning/{signature}", ResetAsync);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetAsync(string signature, PlaybookLearner learner, CancellationToken cancellationToken) =>
        await learner.ResetAsync(signature, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"nothing is learnt for '{signature}'; GET /api/v1/learning lists the signatures (fault kind|tier|entity kind)");
}
