using System.Text;
using System.Text.Json.Nodes;
using Medic.Adapters.Notifications;
using Medic.Core.Decisions;
using Microsoft.AspNetCore.WebUtilities;

namespace Medic.Apis;

/// <summary>
/// <c>POST /api/v1/slack/interactions</c>: Slack's interactivity callback for the Approve and Reject
/// buttons. Every request must carry a valid signature made with the app's signing secret and a
/// fresh timestamp; anything else is refused with 401 and changes nothing. The Slack username is
/// the approver's name, so the approver lists in policy and playbooks name Slack users.
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
        var by = payload?["user"]?["username"]?.GetValue<string>() ?? payload?["user"]?["name"]?.GetValue<string>() ?? payload?["user"]?["id"]?.GetValue<string>();
        if (payload?["type"]?.GetValue<string>() != "block_actions" || action?["value"]?.GetValue<string>() is not { } decisionId || by is null)
        {
            return Problems.BadRequest("expected a block_actions payload from a Medic approval message");
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
