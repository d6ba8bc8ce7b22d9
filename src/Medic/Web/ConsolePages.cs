using System.Globalization;
using System.Text;
using Medic.Core;
using Medic.Core.Decisions;
using Medic.Core.Playbooks;
using Medic.Core.Incidents;
using Medic.Core.Learning;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Topology;
using Medic.Core.Storage;

namespace Medic.Web;

/// <summary>
/// The console, served by Medic itself at <c>/</c> (no CDN, no build step): the incidents, newest
/// first, and each incident's story, hypotheses, decisions and timeline. Pages follow the estate as
/// it changes: they listen on <c>/console/events</c> (server-sent events) and fetch their own content
/// again when an incident changes.
/// </summary>
internal static class ConsolePages
{
    /// <summary>Incidents listed on the front page.</summary>
    private const int Listed = 200;

    /// <summary>How far around an incident its page looks for changes to its services.</summary>
    private static readonly TimeSpan ChangeLookback = TimeSpan.FromMinutes(30);

    /// <summary>Services drawn at most on an incident's graph.</summary>
    private const int GraphServices = 30;

    /// <summary>How much of a series before the incident its chart shows.</summary>
    private static readonly TimeSpan ChartLookback = TimeSpan.FromMinutes(30);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ListAsync);
        app.MapGet("/incidents/{id}", IncidentAsync);
        app.MapGet("/console/events", EventsAsync);
        app.MapPost("/incidents/{id}/feedback", FeedbackAsync).DisableAntiforgery();
        app.MapPost("/decisions/{id}/approve", (string id, HttpContext context, ApprovalService approvals, CancellationToken cancellationToken) => DecideAsync(id, approve: true, context, approvals, cancellationToken)).DisableAntiforgery();
        app.MapPost("/decisions/{id}/reject", (string id, HttpContext context, ApprovalService approvals, CancellationToken cancellationToken) => DecideAsync(id, approve: false, context, approvals, cancellationToken)).DisableAntiforgery();
        return app.MapConsoleOperations();
    }

    /// <summary>The incidents, newest first: all, or only the active ones (<c>?active=true</c>), or those whose title, services or root cause hold <c>?q=</c>.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, IIncidentStore incidents, IDecisionStore decisions, TimeProvider clock, bool? active, string? q, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var html = new StringBuilder("<h1>Incidents</h1>")
            .Append(CultureInfo.InvariantCulture, $"<form method=\"get\" id=\"filter\"><label>Find <input name=\"q\" value=\"{E(q ?? "")}\" placeholder=\"service, title, root cause\"></label> <label><input type=\"checkbox\" name=\"active\" value=\"true\"{(active == true ? " checked" : "")}> active only</label> <button>Filter</button></form>")
            .Append("<table id=\"incidents\"><thead><tr><th>incident</th><th>severity</th><th>state</th><th>services</th><th>root cause</th><th>age</th><th>automation</th><th>approval</th></tr></thead><tbody>");
        var shown = (await incidents.ListAsync(activeOnly: active == true, limit: q is { Length: > 0 } ? Listed * 10 : Listed, cancellationToken))
            .Where(i => q is not { Length: > 0 } || Holds(i, q))
            .Take(Listed);
        foreach (var incident in shown)
        {
            var decided = await decisions.ListByIncidentAsync(incident.Id, cancellationToken);
            var inForce = decided.LastOrDefault(d => d.Status != DecisionStatus.Shadow && d.PlaybookId is not null);
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"incident\" data-state=\"{E(Words(incident.State))}\">")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"/incidents/{U(incident.Id)}\">{E(incident.Title)}</a></td><td>{Severity(incident.MaxScore)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(Words(incident.State))}</td><td>{E(string.Join(", ", incident.Services))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(incident.RootCause is { } top ? $"{top.Entity} ({top.FaultKind}, {Humanize.Percent(top.Confidence)})" : "—")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(Age(now - incident.OpenedAt))}</td><td>{E(inForce?.Level.ToString() ?? "—")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(decided.Any(d => d.Status == DecisionStatus.AwaitingApproval) ? "<strong>waiting</strong>" : "")}</td></tr>");
        }

        html.Append("</tbody></table>");
        return Html.Page(context, "Incidents", html.ToString());
    }

    private static bool Holds(Incident incident, string q) =>
        incident.Title.Contains(q, StringComparison.OrdinalIgnoreCase)
        || incident.Services.Any(s => s.Contains(q, StringComparison.OrdinalIgnoreCase))
        || (incident.RootCause?.Entity.ToString().Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>How bad, from the strongest signal's score: critical, high, medium or low.</summary>
    private static string Severity(double score) => score switch
    {
        >= 0.9 => "<span class=\"sev critical\">critical</span>",
        >= 0.75 => "<span class=\"sev high\">high</span>",
        >= 0.5 => "<span class=\"sev medium\">medium</span>",
        _ => "<span class=\"sev low\">low</span>",
    };

    private static async Task<IResult> IncidentAsync(string id, HttpContext context, IIncidentStore incidents, IDecisionStore decisions, ISignalStore signals, IChangeStore changes, ConsoleSeries series, ITopology topology, PlaybookRepository playbooks, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(id, cancellationToken) is not { } incident)
        {
            return Results.Content(Html.Document("Not found", $"<h1>No incident '{E(id)}'</h1><p><a href=\"/\">All incidents</a></p>"), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<p><a href=\"/\">All incidents</a></p><h1>{E(incident.Title)}</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"state\">{E(Words(incident.State))} · opened {E(Html.Time(incident.OpenedAt))} · {E(string.Join(", ", incident.Services.Concat(incident.Nodes)))}</p>");
        var timeline = await incidents.GetTimelineAsync(id, cancellationToken);
        var hypotheses = timeline.LastOrDefault(e => e.Kind == "diagnosis" && e.DataJson is not null) is { } diagnosis
            ? System.Text.Json.JsonSerializer.Deserialize<List<Core.Rca.Hypothesis>>(diagnosis.DataJson!, Core.Json.MedicJson.Options) ?? []
            : [];
        if (incident.RootCause is { Story.Length: > 0 } root)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section id=\"story\"><h2>Story</h2><p>{E(root.Story)}</p></section>");
        }

        html.Append("<section id=\"series\"><h2>Key series</h2>").Append(await ChartAsync(incident, signals, series, cancellationToken)).Append("</section>");
        html.Append("<section id=\"graph\"><h2>Service graph</h2>").Append(Graph(incident, topology)).Append("</section>");
        html.Append("<section id=\"hypotheses\"><h2>Hypotheses</h2>");
        if (hypotheses.Count == 0)
        {
            html.Append("<p>Not diagnosed yet.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>suspect</th><th>fault</th><th>confidence</th><th>evidence</th></tr></thead><tbody>");
            foreach (var h in hypotheses.Take(5))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr class=\"hypothesis\"><td>{E(h.Entity.ToString())}</td><td>{E(h.FaultKind)}</td><td>{E(Humanize.Percent(h.Confidence))}</td><td><ul>{string.Concat(h.Evidence.Select(e => $"<li>{E(e)}</li>"))}</ul></td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section><section id=\"decisions\"><h2>Decisions</h2><ul>");
        foreach (var decision in await decisions.ListByIncidentAsync(id, cancellationToken))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"decision\" data-status=\"{E(Words(decision.Status))}\"><strong>{E(decision.PlaybookId ?? "no playbook")}</strong> at {decision.Level}: {E(Words(decision.Status))} — {E(decision.Reason)}</li>");
        }

        var decided = await decisions.ListByIncidentAsync(id, cancellationToken);
        html.Append("</ul>").Append(InForce(decided, playbooks)).Append(Approval(context, decided, clock)).Append("</section>");
        var touched = (await changes.ListAsync(incident.OpenedAt - ChangeLookback, incident.LastSignalAt + ChangeLookback, cancellationToken))
            .Where(c => incident.Services.Contains(c.Service)).ToList();
        if (touched.Count > 0)
        {
            html.Append("<section id=\"changes\"><h2>Changes</h2><ol>")
                .Append(string.Concat(touched.Select(c => $"<li><time>{E(c.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture))}</time> <span class=\"kind\">{E(c.Kind)}</span> {E(c.Description)} ({E(c.Actor)})</li>")))
                .Append("</ol></section>");
        }

        html.Append("<section id=\"timeline\"><h2>Timeline</h2><ol>");
        foreach (var entry in timeline)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><time>{E(entry.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture))}</time> <span class=\"kind\">{E(entry.Kind)}</span> {E(entry.Message)}</li>");
        }

        html.Append("</ol></section>").Append(FeedbackForm(context, incident.Id));
        return Html.Page(context, incident.Title, html.ToString());
    }

    /// <summary>The playbook in force: its steps as they render for this incident, and every rail's verdict.</summary>
    private static string InForce(IReadOnlyList<Decision> decided, PlaybookRepository playbooks)
    {
        if (decided.LastOrDefault(d => d.PlaybookId is not null && d.Status is not (DecisionStatus.Shadow or DecisionStatus.NoMatch)) is not { } decision)
        {
            return "";
        }

        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<div id=\"in-force\"><h3>{E(decision.PlaybookId!)} {E(decision.PlaybookVersion ?? "")}</h3>");
        if (playbooks.Find(decision.PlaybookId!) is { } playbook && decision.Context is { } json
            && Core.Json.PlainTree.FromJson(json) is IReadOnlyDictionary<string, object?> context)
        {
            html.Append("<ol class=\"steps\">")
                .Append(string.Concat(PlaybookPreview.Of(playbook, context).Select(step =>
                    $"<li><strong>{E(step.Name)}</strong> ({E(step.Type)}{(step.Fallback ? ", fallback" : "")}{(step.Gated ? ", gated" : "")}): <code>{E(System.Text.Json.JsonSerializer.Serialize(step.Rendered, Core.Json.MedicJson.Options))}</code></li>")))
                .Append("</ol>");
        }

        if (decision.Verdict is { } verdict)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict\">policy: {E(Words(verdict.Status))} at {verdict.Level}, risk {E(verdict.Risk.ToString().ToLowerInvariant())}: {E(verdict.Reason)}</p><ul class=\"rails\">")
                .Append(string.Concat(verdict.Gates.Select(g => $"<li>{(g.Passed ? "passed" : "held")} {E(g.Rail)}: {E(g.Detail)}</li>")))
                .Append("</ul>");
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// The decision waiting for approval: who may approve and until when, and — for someone who may
    /// (an operator or admin signed in, or anyone when sign-in is off) — Approve and Reject.
    /// </summary>
    private static string Approval(HttpContext context, IReadOnlyList<Decision> decisions, TimeProvider clock)
    {
        if (decisions.LastOrDefault(d => d.Status == DecisionStatus.AwaitingApproval) is not { } waiting)
        {
            return "";
        }

        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<div id=\"approval\"><p><strong>{E(waiting.PlaybookId ?? "")}</strong> waits for approval by {E(waiting.Approvers.Count == 0 ? "any operator" : string.Join(", ", waiting.Approvers))}")
            .Append(waiting.ExpiresAt is { } expires ? $"; the request expires at {E(Html.Time(expires))} (in {E(Age(expires - clock.GetUtcNow()))})" : "")
            .Append(waiting.Approvals.Count > 0 ? $"; approved so far by {E(string.Join(", ", waiting.Approvals.Select(a => a.By)))}" : "").Append(".</p>");
        if (!ConsoleForms.May(context, Auth.Role.Operator))
        {
            return html.Append("<p class=\"note\">Only operators and admins approve.</p></div>").ToString();
        }

        return html.Append(ConsoleForms.Form(context, $"/decisions/{U(waiting.Id)}/approve", "<label>Note <input name=\"note\"></label> <button>Approve</button>", " class=\"approve\""))
            .Append(ConsoleForms.Form(context, $"/decisions/{U(waiting.Id)}/reject", "<label>Reason <input name=\"reason\" required></label> <button>Reject</button>", " class=\"reject\""))
            .Append("</div>").ToString();
    }

    /// <summary>Was it real? Operators' word, which detectors' precision (and drift handling) learn from.</summary>
    private static string FeedbackForm(HttpContext context, string incident) =>
        ConsoleForms.May(context, Auth.Role.Operator)
            ? $"<section id=\"feedback\"><h2>Was it real?</h2>{ConsoleForms.Form(context, $"/incidents/{U(incident)}/feedback", "<label>Note <input name=\"note\"></label> <label>Root cause <input name=\"root_cause\" placeholder=\"service, or kind/name\"></label> <button name=\"verdict\" value=\"true_positive\">A real incident</button> <button name=\"verdict\" value=\"false_positive\">A false alarm</button>")}</section>"
            : "";

    private static async Task<IResult> FeedbackAsync(string id, HttpContext context, DetectorFeedback feedback, CancellationToken cancellationToken)
    {
        var (form, by, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(by) || form["verdict"] is not { Count: 1 } verdict)
        {
            return ConsoleForms.Refused(StatusCodes.Status400BadRequest, "Not done", "Say who you are, and press one of the two buttons.");
        }

        // A false alarm has no root cause: what was typed in the box is ignored then.
        var said = verdict == "true_positive" ? FeedbackVerdict.TruePositive : FeedbackVerdict.FalsePositive;
        var cause = said == FeedbackVerdict.TruePositive && form["root_cause"].ToString().Trim() is { Length: > 0 } typed ? typed : null;
        return await feedback.RecordAsync(id, said, by, form["note"].ToString() is { Length: > 0 } note ? note : null, cause, cancellationToken) is null
            ? ConsoleForms.Refused(StatusCodes.Status404NotFound, "Not found", $"No incident '{id}'.")
            : Results.Redirect($"/incidents/{U(id)}");
    }

    /// <summary>Approve or Reject from the incident page: the signed-in person (or the name given when sign-in is off) is the actor.</summary>
    private static async Task<IResult> DecideAsync(string id, bool approve, HttpContext context, ApprovalService approvals, CancellationToken cancellationToken)
    {
        var (form, by, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = approve
            ? await approvals.ApproveAsync(id, by, form["note"].ToString() is { Length: > 0 } note ? note : null, cancellationToken)
            : await approvals.RejectAsync(id, by, form["reason"].ToString(), cancellationToken);
        return result.Outcome == ApprovalOutcome.Done
            ? Results.Redirect($"/incidents/{U(result.Decision!.IncidentId)}")
            : ConsoleForms.Refused(
                result.Outcome switch
                {
                    ApprovalOutcome.Forbidden => StatusCodes.Status403Forbidden,
                    ApprovalOutcome.NotFound => StatusCodes.Status404NotFound,
                    ApprovalOutcome.Invalid => StatusCodes.Status400BadRequest,
                    _ => StatusCodes.Status409Conflict,
                },
                "Not done",
                result.Message);
    }

    /// <summary>The suspect's strongest metric anomaly: its series from half an hour before the incident, the expected band, the onset.</summary>
    private static async Task<string> ChartAsync(Incident incident, ISignalStore signals, ConsoleSeries series, CancellationToken cancellationToken)
    {
        var suspect = incident.RootCause?.Entity.Candidate;
        var anomaly = (await signals.ListByIncidentAsync(incident.Id, cancellationToken))
            .Where(s => s.Source == SignalSources.Metrics && s.Label("__name__") is { } name && series.Recent.Keeps(name) && (suspect is null || s.Entity.Candidate == suspect))
            .MaxBy(s => s.Score);
        if (anomaly is null)
        {
            return "<p class=\"chart-empty\">No metric anomaly of the suspect to chart.</p>";
        }

        var key = new SeriesKey(anomaly.Label("__name__")!, anomaly.Labels.Where(l => l.Key != "__name__"));
        return Svg.Chart(key.ToString(), series.Recent.Since(key, incident.OpenedAt - ChartLookback), anomaly.BandLow, anomaly.BandHigh, anomaly.ObservedAt);
    }

    /// <summary>The incident's services with their callers and callees.</summary>
    private static string Graph(Incident incident, ITopology topology)
    {
        var services = incident.Services
            .SelectMany(s => topology.Callers(s).Concat(topology.Callees(s)).Append(s))
            .Distinct(StringComparer.Ordinal).Take(GraphServices).ToHashSet(StringComparer.Ordinal);
        var calls = services.SelectMany(caller => topology.Callees(caller).Where(services.Contains).Select(callee => (caller, callee))).ToList();
        var suspect = incident.RootCause?.Entity is { } entity ? entity.Service ?? entity.Name : null;
        return Svg.Graph(services, calls, suspect, incident.Services.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Server-sent events: one <c>incident</c> event with the incident's id each time one changes.</summary>
    private static async Task EventsAsync(HttpContext context, ConsoleEvents events, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": medic console\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var incident in events.Listen(cancellationToken).ReadAllAsync(cancellationToken))
            {
                await context.Response.WriteAsync($"event: incident\ndata: {incident}\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    private static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "just now"
        : age.TotalMinutes < 1 ? $"{age.TotalSeconds:0} s"
        : age.TotalHours < 1 ? $"{age.TotalMinutes:0} min"
        : age.TotalDays < 1 ? $"{age.TotalHours:0.#} h"
        : $"{age.TotalDays:0.#} d";

    private static string Words<TEnum>(TEnum value)
        where TEnum : struct, Enum => Humanize.Words(value);

    private static string E(string text) => Html.E(text);

    private static string U(string text) => Html.U(text);
}
