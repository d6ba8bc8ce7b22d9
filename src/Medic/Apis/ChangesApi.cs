using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Microsoft.AspNetCore.Http.Features;

namespace Medic.Apis;

/// <summary>
/// Change events in: <c>POST /api/v1/changes</c> (Medic's own body), <c>POST
/// /api/v1/changes/github</c> (GitHub's <c>deployment_status</c> webhook) and <c>POST
/// /api/v1/changes/argocd</c> (an Argo CD notification whose body carries the application). Each
/// becomes a <see cref="ChangeEvent"/> that diagnosis weighs against the incidents after it.
/// </summary>
internal static class ChangesApi
{
    /// <summary>Largest body: an Argo CD application with its status is a few hundred KiB at most.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/changes", (HttpContext context, IBus bus, TimeProvider clock, CancellationToken ct) => ReceiveAsync(context, bus, body => Medic(body, clock), ct));
        app.MapPost("/api/v1/changes/github", (HttpContext context, IBus bus, CancellationToken ct) => ReceiveAsync(context, bus, GitHub, ct));
        app.MapPost("/api/v1/changes/argocd", (HttpContext context, IBus bus, TimeProvider clock, CancellationToken ct) => ReceiveAsync(context, bus, body => ArgoCd(body, clock), ct));
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, IBus bus, Func<JsonObject, (ChangeEvent? Change, string? Problem)> read, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"the body is not JSON: {e.Message}");
        }

        if (body is null)
        {
            return Problems.BadRequest("the body is empty; send a JSON object");
        }

        var (change, problem) = read(body);
        if (change is null)
        {
            // Accepted but not a change (a GitHub deployment still queued, say): say so, change nothing.
            return problem is null ? TypedResults.Accepted((string?)null, new { recorded = false }) : Problems.BadRequest(problem);
        }

        await bus.PublishAsync(change, cancellationToken);
        return TypedResults.Accepted((string?)null, new { recorded = true, change });
    }

    /// <summary>
    /// <c>{"service", "kind": deploy|config|feature_flag|scale|infra|rollback|restart, "version",
    /// "previous_version", "author", "time", "links": [...], "namespace", "description"}</c>.
    /// </summary>
    private static (ChangeEvent?, string?) Medic(JsonObject body, TimeProvider clock)
    {
        if (Text(body, "service") is not { Length: > 0 } service)
        {
            return (null, "service is required: the service that changed");
        }

        var kind = Text(body, "kind") ?? ChangeKinds.Deploy;
        if (!ChangeKinds.All.Contains(kind))
        {
            return (null, $"kind '{kind}' is not one of {string.Join(", ", ChangeKinds.All.Order(StringComparer.Ordinal))}");
        }

        if (Time(body["time"], clock) is not { } at)
        {
            return (null, $"time '{body["time"]}' is not a time; write RFC 3339 (2026-11-26T10:00:00Z) or Unix seconds");
        }

        var version = Text(body, "version");
        return (new ChangeEvent
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Kind = kind,
            Service = service,
            At = at,
            Actor = Text(body, "author") ?? "unknown",
            Description = Text(body, "description") ?? $"{kind} of {service}" + (version is null ? "" : $" {version}") + (Text(body, "previous_version") is { } previous ? $" (was {previous})" : ""),
            Namespace = Text(body, "namespace"),
            Version = version,
            PreviousVersion = Text(body, "previous_version"),
            Links = body["links"] is JsonArray links ? [.. links.Select(l => l?.ToString() ?? "").Where(l => l.Length > 0)] : [],
        }, null);
    }

    /// <summary>GitHub <c>deployment_status</c>: a finished deployment (success, failure or error) of the repository (or of <c>payload.service</c>).</summary>
    private static (ChangeEvent?, string?) GitHub(JsonObject body)
    {
        if (body["deployment_status"] is not JsonObject status || body["deployment"] is not JsonObject deployment)
        {
            return (null, "not a GitHub deployment_status event: deployment_status and deployment are required (send only the deployment_status event to this URL)");
        }

        var state = Text(status, "state");
        if (state is not ("success" or "failure" or "error"))
        {
            return (null, null);
        }

        var service = Text(deployment["payload"] as JsonObject, "service") ?? Text(body["repository"] as JsonObject, "name");
        if (service is null)
        {
            return (null, "no service: set deployment.payload.service or send the repository");
        }

        var sha = Text(deployment, "sha");
        var version = Text(deployment, "ref") is { } reference && reference != sha ? reference : sha?[..Math.Min(12, sha.Length)];
        return (new ChangeEvent
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Kind = ChangeKinds.Deploy,
            Service = service,
            At = Time(status["created_at"], TimeProvider.System) ?? TimeProvider.System.GetUtcNow(),
            Actor = Text(deployment["creator"] as JsonObject, "login") ?? Text(body["sender"] as JsonObject, "login") ?? "github",
            Description = $"deploy of {service} {version} to {Text(status, "environment") ?? Text(deployment, "environment")}: {state}" + (Text(status, "description") is { Length: > 0 } d ? $" ({d})" : ""),
            Version = version,
            Links = Text(status, "target_url") is { } url ? [url] : [],
        }, null);
    }

    /// <summary>
    /// Argo CD: <c>{"app": {{toJson .app}}}</c> (the Application), or a flat body
    /// <c>{"app": name, "revision", "namespace", "author", "time"}</c>.
    /// </summary>
    private static (ChangeEvent?, string?) ArgoCd(JsonObject body, TimeProvider clock)
    {
        string? name, revision, ns, author;
        DateTimeOffset? at;
        if (body["app"] is JsonObject app)
        {
            var operation = app["status"]?["operationState"] as JsonObject;
            name = Text(app["metadata"] as JsonObject, "name");
            revision = Text(app["status"]?["sync"] as JsonObject, "revision") ?? Text(operation?["syncResult"] as JsonObject, "revision");
            ns = Text(app["spec"]?["destination"] as JsonObject, "namespace");
            author = Text(operation?["operation"]?["initiatedBy"] as JsonObject, "username") ?? (operation?["operation"]?["initiatedBy"]?["automated"]?.GetValue<bool>() == true ? "argocd (automated)" : null);
            at = Time(operation?["finishedAt"], clock) ?? clock.GetUtcNow();
        }
        else
        {
            name = Text(body, "app");
            revision = Text(body, "revision");
            ns = Text(body, "namespace");
            author = Text(body, "author");
            at = Time(body["time"], clock);
        }

        if (name is null || at is null)
        {
            return (null, "not an Argo CD notification: send {\"app\": {{toJson .app}}} or {\"app\": name, \"revision\", \"namespace\", \"author\", \"time\"}");
        }

        return (new ChangeEvent
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Kind = ChangeKinds.Deploy,
            Service = name,
            At = at.Value,
            Actor = author ?? "argocd",
            Description = $"Argo CD synced {name}" + (revision is null ? "" : $" to {revision[..Math.Min(12, revision.Length)]}"),
            Namespace = ns,
            Version = revision,
        }, null);
    }

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static DateTimeOffset? Time(JsonNode? node, TimeProvider clock) => node switch
    {
        null => clock.GetUtcNow(),
        JsonValue v when v.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        JsonValue v when v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };
}
