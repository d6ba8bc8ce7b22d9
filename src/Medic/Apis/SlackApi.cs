using System.Text;
using System.Text.Json.Nodes;
using Medic.Adapters.Notifications;
using Medic.Core.Decisions;
using Microsoft.AspNetCore.WebUtilities;

namespace Medic.Apis;

/// <summary>
/// <c>POST /api/v1/slack/interactions</c>: Slack's interactivity callback for the Approve and Reject
/// buttons. Every request must carry a valid signature made with the app's signing secret and a
/// fresh timestamp; anything else is refused with 401 and changes nothing. The person is known by
/// their Slack user id, mapped to a Medic name in <c>notifiers.slack.users</c> (or, without that
/// map, by their Slack username), and only the configured workspace may answer.
/// </summary>
internal static class SlackApi
{
    public static IEndpointRouteBuilder MapSlackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/slack/interactions", InteractAsync);
        return app;
    }

    private static async Task<IResult> InteractAsync(HttpRequest request, IServiceProvider services, ApprovalService approvals, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (services.GetService<SlackOptions>() is not { SigningSecret: { } secret } slack)
        {
            return Problems.NotFound("Slack interactivity is not configured: set notifiers.slack.signing_secret in medic.yaml");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (SlackSignature.Check(secret, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"], body, clock.GetUtcNow(), slack.MaxCallbackAge) is { } refusal)
        {
            return TypedResults.Problem($"refused: {refusal}", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var payload = QueryHelpers.ParseQuery(body).TryGetValue("payload", out var json) ? Parse(json.ToString()) : null;
        var action = payload?["actions"]?[0];
        if (payload?["type"]?.GetValue<string>() != "block_actions" || action?["value"]?.GetValue<string>() is not { } decisionId || payload["user"]?["id"]?.GetValue<string>() is not { } userId)
        {
            return Problems.BadRequest("expected a block_actions payload from a Medic approval message");
        }

        var team = payload["team"]?["id"]?.GetValue<string>() ?? payload["user"]?["team_id"]?.GetValue<string>();
        if (slack.TeamId is { } expected && team != expected)
        {
            return Problems.Forbidden($"callbacks are accepted from Slack workspace {expected} only, not {team}");
        }

        string by;
        if (slack.Users.Count > 0)
        {
            if (!slack.Users.TryGetValue(userId, out var known))
            {
                return Problems.Forbidden($"Slack user {userId} is not listed in notifiers.slack.users, so Medic does not know who they are");
            }

            by = known;
        }
        else
        {
            by = payload["user"]?["username"]?.GetValue<string>() ?? payload["user"]?["name"]?.GetValue<string>() ?? userId;
        }

        var result = action["action_id"]?.GetValue<string>() switch
        {
            SlackNotifier.ApproveAction => await approvals.ApproveAsync(decisionId, by, "approved in Slack", cancellationToken),
            SlackNotifier.RejectAction => await approvals.RejectAsync(decisionId, by, "rejected in Slack", cancellationToken),
            var other => new ApprovalResult(ApprovalOutcome.Invalid, $"unknown action '{other}'"),
        };

        var verb = action["action_id"]?.GetValue<string>() == SlackNotifier.ApproveAction ? "approve" : "reject";
        var text = result.Outcome == ApprovalOutcome.Done ? $"{by}: {result.Message}" : $"{by} could not {verb}: {result.Message}";
        if (payload["response_url"]?.GetValue<string>() is { } responseUrl && Uri.TryCreate(responseUrl, UriKind.Absolute, out var uri))
        {
            await ReplyAsync(services.GetRequiredKeyedService<HttpClient>(Composition.MedicServices.NotificationsHttpClient), uri, text, cancellationToken);
        }

        return TypedResults.Json(new JsonObject { ["text"] = text });
    }

    /// <summary>Tells the person who pressed the button what came of it, beside the approval message.</summary>
    private static async Task ReplyAsync(HttpClient http, Uri responseUrl, string text, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(responseUrl, new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text }, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The approval itself is recorded; a lost reply only costs the person a glance at Medic.
        }
    }

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
