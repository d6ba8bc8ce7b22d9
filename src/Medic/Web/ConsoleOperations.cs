using System.Globalization;
using System.Text;
using Medic.Core;
using Medic.Core.Audit;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Storage;

namespace Medic.Web;

/// <summary>
/// The console's other pages: workflow runs with their steps, the playbooks in force and the
/// files refused, the safety rails (the kill switch, per-playbook switches), and the audit log
/// with a check of its hash chain.
/// </summary>
internal static class ConsoleOperations
{
    /// <summary>How far back the runs page looks.</summary>
    private static readonly TimeSpan RunsShown = TimeSpan.FromDays(7);

    /// <summary>Audit entries shown, the newest.</summary>
    private const int AuditShown = 200;

    public static IEndpointRouteBuilder MapConsoleOperations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs", RunsAsync);
        app.MapPost("/runs/{id}/cancel", CancelAsync).DisableAntiforgery();
        app.MapGet("/playbooks", Playbooks);
        app.MapPost("/playbooks/try", TryAsync).DisableAntiforgery();
        app.MapGet("/safety", SafetyAsync);
        app.MapPost("/safety/killswitch", SetKillSwitchAsync).DisableAntiforgery();
        app.MapPost("/safety/silences", SilenceAsync).DisableAntiforgery();
        app.MapGet("/audit", AuditAsync);
        return app;
    }

    private static async Task<IResult> RunsAsync(HttpContext context, IRunStore runs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var html = new StringBuilder("<h1>Runs</h1>");
        var recent = (await runs.ListRecentAsync(clock.GetUtcNow() - RunsShown, cancellationToken)).OrderByDescending(r => r.StartedAt).ToList();
        if (recent.Count == 0)
        {
            html.Append("<p>No run in the last seven days.</p>");
        }

        foreach (var run in recent)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"run\" id=\"run-{Html.E(run.Id)}\"><h2>{Html.E(run.PlaybookId)} · {Html.E(Humanize.Words(run.State))}</h2>")
                .Append(CultureInfo.InvariantCulture, $"<p>incident <a href=\"/incidents/{Html.U(run.IncidentId)}\">{Html.E(run.IncidentId)}</a> · started {Html.E(Html.Time(run.StartedAt))}{(run.FinishedAt is { } done ? $" · took {(done - run.StartedAt).TotalSeconds:0.#} s" : "")}{(run.Error is { } error ? $" · {Html.E(error)}" : "")}</p>")
                .Append(run.State == Core.Workflows.RunState.Running ? CancelForm(context, run.Id) : "")
                .Append("<table><thead><tr><th>step</th><th>type</th><th>state</th><th>attempts</th><th>took</th><th>output or error</th></tr></thead><tbody>");
            foreach (var step in run.Steps)
            {
                var took = step is { StartedAt: { } from, FinishedAt: { } to } ? $"{(to - from).TotalSeconds:0.##} s" : "";
                var detail = step.Error ?? step.Output?.ToJsonString() ?? "";
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(step.Name)}</td><td>{Html.E(step.Type)}</td><td>{Html.E(Humanize.Words(step.State))}</td><td>{step.Attempt}</td><td>{took}</td><td><code>{Html.E(detail.Length > 300 ? detail[..300] + "…" : detail)}</code></td></tr>");
            }

            html.Append("</tbody></table></section>");
        }

        return Html.Page(context, "Runs", html.ToString());
    }

    /// <summary>Stop a running run, for operators (or anyone, with a name, when sign-in is off): a reason is required.</summary>
    private static string CancelForm(HttpContext context, string run) =>
        ConsoleForms.May(context, Auth.Role.Operator)
            ? ConsoleForms.Form(context, $"/runs/{Html.U(run)}/cancel", "<label>Reason <input name=\"reason\" required></label> <button>Cancel the run</button>", " class=\"cancel\"")
            : "";

    private static async Task<IResult> CancelAsync(string id, HttpContext context, IRunStore runs, Core.Workflows.RunCancellations cancellations, IAuditLog audit, CancellationToken cancellationToken)
    {
        var (form, by, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await Apis.RunsApi.CancelAsync(id, new Apis.RunsApi.CancelRequest(by, form["reason"].ToString()), runs, cancellations, audit, cancellationToken);
        return result.Result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem
            ? ConsoleForms.Refused(problem.StatusCode, "Not done", problem.ProblemDetails.Detail ?? "")
            : Results.Redirect("/runs");
    }

    private static IResult Playbooks(HttpContext context, PlaybookRepository playbooks) => Html.Page(context, "Playbooks", PlaybooksHtml(context, playbooks, null, null, null));

    /// <summary>The dry run: an event in, whether the playbook matches and why, its rendered steps and policy's verdict out. Nothing runs.</summary>
    private static async Task<IResult> TryAsync(HttpContext context, PlaybookRepository playbooks, PolicyEngine policy, CancellationToken cancellationToken)
    {
        var (form, _, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var id = form["playbook"].ToString();
        var text = form["event"].ToString();
        if (playbooks.Find(id) is not { } playbook)
        {
            return Html.Page(context, "Playbooks", PlaybooksHtml(context, playbooks, id, text, $"<p id=\"trial\" class=\"error\">No playbook '{Html.E(id)}'.</p>"));
        }

        System.Text.Json.Nodes.JsonObject? json;
        try
        {
            json = System.Text.Json.Nodes.JsonNode.Parse(text) as System.Text.Json.Nodes.JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            return Html.Page(context, "Playbooks", PlaybooksHtml(context, playbooks, id, text, $"<p id=\"trial\" class=\"error\">The event is not JSON: {Html.E(e.Message)}</p>"));
        }

        if (json is null)
        {
            return Html.Page(context, "Playbooks", PlaybooksHtml(context, playbooks, id, text, "<p id=\"trial\" class=\"error\">The event must be a JSON object, e.g. {\"anomaly\": {\"type\": \"PodOOMKilled\"}}.</p>"));
        }

        var outcome = PlaybookTrial.Run(playbook, (IReadOnlyDictionary<string, object?>)Core.Json.PlainTree.FromJson(json)!, policy);
        var result = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<section id=\"trial\"><h2>{Html.E(playbook.Id)}: {(outcome.Matched ? "matches" : "does not match")}</h2><ul>")
            .Append(string.Concat(outcome.Reasons.Select(r => $"<li>{Html.E(r)}</li>")))
            .Append(CultureInfo.InvariantCulture, $"</ul><p class=\"verdict\">policy: {Html.E(Humanize.Words(outcome.Verdict.Status))} at {outcome.Verdict.Level} ({Html.E(outcome.Verdict.Reason)}), risk {Html.E(outcome.Verdict.Risk.ToString().ToLowerInvariant())}</p><ol class=\"steps\">");
        foreach (var step in outcome.Steps)
        {
            result.Append(CultureInfo.InvariantCulture, $"<li><strong>{Html.E(step.Name)}</strong> ({Html.E(step.Type)}{(step.Fallback ? ", fallback" : "")}{(step.Gated ? ", gated by its condition" : "")}): <code>{Html.E(System.Text.Json.JsonSerializer.Serialize(step.Rendered, Core.Json.MedicJson.Options))}</code></li>");
        }

        return Html.Page(context, "Playbooks", PlaybooksHtml(context, playbooks, id, text, result.Append("</ol><p>Nothing was run.</p></section>").ToString()));
    }

    private static string PlaybooksHtml(HttpContext context, PlaybookRepository playbooks, string? tried, string? eventText, string? trial)
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h1>Playbooks</h1><p>revision {Html.E(playbooks.Revision)}</p>")
            .Append("<table><thead><tr><th>playbook</th><th>version</th><th>priority</th><th>level</th><th>source</th><th>description</th></tr></thead><tbody>");
        foreach (var playbook in playbooks.Playbooks.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var level = playbook.Safety.Shadow ? "shadow" : playbook.Safety.AutomationLevel?.ToString() ?? "policy";
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"playbook\"><td>{Html.E(playbook.Id)}</td><td>{Html.E(playbook.Version)}</td><td>{playbook.Priority}</td><td>{Html.E(level)}</td><td>{Html.E(playbook.Source)}</td><td>{Html.E(playbook.Description)}</td></tr>");
        }

        html.Append("</tbody></table>");
        if (playbooks.Errors.Count > 0)
        {
            html.Append("<h2>Refused</h2><ul class=\"errors\">")
                .Append(string.Concat(playbooks.Errors.Select(e => $"<li><code>{Html.E(e.ToString())}</code></li>")))
                .Append("</ul>");
        }

        var fields = new StringBuilder("<p><label>Playbook <select name=\"playbook\">")
            .Append(string.Concat(playbooks.Playbooks.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => $"<option{(p.Id == tried ? " selected" : "")}>{Html.E(p.Id)}</option>")))
            .Append("</select></label></p><p><label>Event (JSON) <textarea name=\"event\" rows=\"8\" cols=\"90\">")
            .Append(Html.E(eventText ?? "{\"anomaly\": {\"source\": \"kubernetes\", \"type\": \"PodOOMKilled\", \"confidence_score\": 0.99, \"entity\": {\"pod_name\": \"cart-7d9f8b6c5-x2x9z\", \"namespace\": \"shop\"}}, \"service\": {\"name\": \"cart\", \"tags\": []}}"))
            .Append("</textarea></label></p><p><button>Try it</button></p>");
        html.Append("<h2>Dry run</h2>").Append(ConsoleForms.Form(context, "/playbooks/try", fields.ToString(), " id=\"dry-run\"", named: false)).Append(trial ?? "");
        return html.ToString();
    }

    private static async Task<IResult> SafetyAsync(HttpContext context, KillSwitch killSwitch, PlaybookRepository playbooks, PolicyOptions policy, ISilenceStore silences, TimeProvider clock, CancellationToken cancellationToken)
    {
        var state = await killSwitch.GetAsync(cancellationToken);
        var html = new StringBuilder("<h1>Safety</h1>")
            .Append(CultureInfo.InvariantCulture, $"<section id=\"killswitch\" class=\"{(state.Engaged ? "engaged" : "off")}\"><h2>Kill switch: {(state.Engaged ? "ENGAGED" : "off")}</h2>")
            .Append(state.Engaged ? $"<p>engaged by {Html.E(state.By ?? "?")}{(state.Since is { } since ? $" at {Html.E(Html.Time(since))}" : "")} ({Html.E(state.Source)}): {Html.E(state.Reason ?? "")}. Nothing is executed; everything is still recorded.</p>" : "<p>Medic may act within policy.</p>")
            .Append(KillSwitchForm(context, state.Engaged))
            .Append("</section><section><h2>Playbooks switched off</h2><ul>");
        foreach (var playbook in playbooks.Playbooks)
        {
            if (await killSwitch.GetAsync(playbook.Id, cancellationToken) is { Engaged: true } off)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html.E(playbook.Id)}: by {Html.E(off.By ?? "?")}: {Html.E(off.Reason ?? "")}</li>");
            }
        }

        html.Append("</ul></section><section id=\"silences\"><h2>Silences</h2>");
        var active = await silences.ListAsync(clock.GetUtcNow(), cancellationToken);
        html.Append(active.Count == 0 ? "<p>None in force (POST /api/v1/silences makes one).</p>" : "<table><thead><tr><th>matchers</th><th>by</th><th>comment</th><th>until</th></tr></thead><tbody>")
            .Append(string.Concat(active.Select(s => $"<tr class=\"silence\"><td><code>{Html.E(string.Join(", ", s.Matchers))}</code></td><td>{Html.E(s.CreatedBy)}</td><td>{Html.E(s.Comment)}</td><td>{Html.E(Html.Time(s.EndsAt))}</td></tr>")))
            .Append(active.Count == 0 ? "" : "</tbody></table>")
            .Append(SilenceForm(context));
        html.Append(CultureInfo.InvariantCulture, $"</section><section><h2>Policy</h2><p>environment {Html.E(policy.Environment)} · default level {policy.DefaultLevel} · at most {policy.MaxLevel} · confidence threshold {Humanize.Percent(policy.ConfidenceThreshold)} · approvals expire after {policy.ApprovalTimeout.TotalMinutes:0} min{(policy.DryRun ? " · dry run" : "")}</p>");
        if (policy.Levels.Count > 0)
        {
            html.Append("<h2>Automation levels by target</h2><ul id=\"levels\">").Append(string.Concat(policy.Levels.Select(l => $"<li><code>{Html.E(l.ToString())}</code></li>"))).Append("</ul>");
        }

        if (policy.Freezes.Count > 0)
        {
            html.Append("<h2>Change freezes</h2><ul>").Append(string.Concat(policy.Freezes.Select(f =>
                $"<li>{Html.E(Html.Time(f.From))} to {Html.E(Html.Time(f.To))}: {Html.E(f.Reason)} ({Html.E(string.Join(", ", new[] { f.Environment, f.Namespace, f.Service }.OfType<string>().DefaultIfEmpty("everything")))})</li>"))).Append("</ul>");
        }

        return Html.Page(context, "Safety", html.Append("</section>").ToString());
    }

    /// <summary>The switch itself, for admins (or anyone when sign-in is off): engaging it needs a reason.</summary>
    private static string KillSwitchForm(HttpContext context, bool engaged) =>
        !ConsoleForms.May(context, Auth.Role.Admin) ? "<p class=\"note\">Only admins turn the kill switch.</p>"
        : engaged ? ConsoleForms.Form(context, "/safety/killswitch", "<input type=\"hidden\" name=\"engaged\" value=\"false\"><label>Reason <input name=\"reason\"></label> <button>Release the kill switch</button>")
        : ConsoleForms.Form(context, "/safety/killswitch", "<input type=\"hidden\" name=\"engaged\" value=\"true\"><label>Reason <input name=\"reason\" required></label> <button>Engage the kill switch</button>");

    /// <summary>A new silence, for operators (or anyone, with a name, when sign-in is off).</summary>
    private static string SilenceForm(HttpContext context) =>
        ConsoleForms.May(context, Auth.Role.Operator)
            ? ConsoleForms.Form(context, "/safety/silences", "<label>Matchers <input name=\"matchers\" placeholder=\"service=cart, alertname=~High.*\" required></label> <label>For <input name=\"duration\" value=\"2h\" size=\"5\"></label> <label>Why <input name=\"comment\" required></label> <button>Silence</button>", " id=\"silence\"")
            : "";

    private static async Task<IResult> SilenceAsync(HttpContext context, ISilenceStore silences, IAuditLog audit, Core.Bus.IBus bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (form, by, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var matchers = form["matchers"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var result = await Apis.SilencesApi.CreateAsync(new Apis.SilencesApi.SilenceRequest(matchers, by, form["comment"].ToString(), null, null, form["duration"].ToString()), silences, audit, bus, clock, cancellationToken);
        return result.Result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem
            ? ConsoleForms.Refused(problem.StatusCode, "Not done", problem.ProblemDetails.Detail ?? "")
            : Results.Redirect("/safety");
    }

    private static async Task<IResult> SetKillSwitchAsync(HttpContext context, KillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var (form, by, refusal) = await ConsoleForms.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var engage = form["engaged"] == "true";
        if (string.IsNullOrWhiteSpace(by) || (engage && string.IsNullOrWhiteSpace(form["reason"])))
        {
            return ConsoleForms.Refused(StatusCodes.Status400BadRequest, "Not done", "Say who you are and, to engage it, why.");
        }

        await killSwitch.SetAsync(engage, by, form["reason"].ToString() is { Length: > 0 } reason ? reason : null, cancellationToken);
        return Results.Redirect("/safety");
    }

    private static async Task<IResult> AuditAsync(HttpContext context, IAuditLog audit, bool? verify, CancellationToken cancellationToken)
    {
        var html = new StringBuilder("<h1>Audit log</h1><form method=\"get\"><button name=\"verify\" value=\"true\">Verify the hash chain</button></form>");
        if (verify == true)
        {
            var broken = await audit.VerifyAsync(cancellationToken);
            html.Append(broken is { } at
                ? $"<p id=\"verified\" class=\"broken\">The chain is broken at entry {at}: the log was altered.</p>"
                : "<p id=\"verified\" class=\"intact\">The chain is intact: no entry was altered, removed or inserted.</p>");
        }

        var entries = new List<AuditEntry>();
        for (long after = 0; ;)
        {
            var page = await audit.ListAsync(after, 1_000, cancellationToken);
            entries.AddRange(page);
            if (page.Count < 1_000)
            {
                break;
            }

            after = page[^1].Sequence;
            if (entries.Count > 10 * AuditShown)
            {
                entries.RemoveRange(0, entries.Count - AuditShown);
            }
        }

        html.Append("<table><thead><tr><th>#</th><th>when</th><th>who</th><th>what</th><th>subject</th><th>hash</th></tr></thead><tbody>");
        foreach (var entry in entries.TakeLast(AuditShown).Reverse())
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"audit\"><td>{entry.Sequence}</td><td>{Html.E(Html.Time(entry.At))}</td><td>{Html.E(entry.Actor)}</td><td>{Html.E(entry.Action)}</td><td>{Html.E(entry.Subject)}</td><td><code>{Html.E(entry.Hash[..Math.Min(12, entry.Hash.Length)])}</code></td></tr>");
        }

        return Html.Page(context, "Audit", html.Append("</tbody></table>").ToString());
    }
}
