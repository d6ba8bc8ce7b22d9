using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Medic.Cli;

/// <summary><c>medic train [--since DURATION]</c>: the offline training job, run by a running server on its stored history.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = "How much history to learn from, back from now: 12h, 7d, 30d (at most 365 days).", DefaultValueFactory = _ => "30d" };
        var server = CommonOptions.Server();
        var command = new Command("train", "Refit the RCA confidence calibration, evaluate greedy playbook policies on the logged decisions, and refit the detectors' trained models; each candidate takes over only if it does at least as well on the latest history held back from it. Every version is recorded (GET /api/v1/learning/models).")
        {
            since, server,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            // The detection stage refits its forests at its next tick, up to a minute away; fitting takes a while on a large estate.
            using var client = new ServerClient(result.GetValue(server)!, TimeSpan.FromMinutes(5));
            return await client.PostAsync("api/v1/learning/train", new { Since = result.GetValue(since) }, Describe, cancellationToken);
        });
        return command;
    }

    private static string Describe(JsonNode report)
    {
        var lines = new List<string> { $"trained on the history since {ServerClient.Time(report["since"])}" };
        lines.AddRange(report["versions"]!.AsArray().Select(v => Version(v!)));
        lines.AddRange(report["notes"]!.AsArray().Select(n => n!.GetValue<string>()));
        lines.Add(report["precision"]!.AsArray() is { Count: > 0 } precision
            ? "detectors' precision from feedback in that time: " + string.Join("; ", precision.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d!["detector"]} {d["precision"]!.GetValue<double>():0.00} ({d["true_positives"]} real, {d["false_positives"]} false alarms)")))
            : "detectors' precision: no feedback in that time (POST /api/v1/incidents/{id}/feedback, or the form on an incident's page)");
        return string.Join('\n', lines);
    }

    private static string Version(JsonNode v)
    {
        var outcome = v["swapped"]!.GetValue<bool>() ? "took over" : "kept out: not at least as good as the one in use";
        var check = v["calibration_check"] is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"Brier score on {c["cases"]} held-back diagnoses {c["current_brier"]!.GetValue<double>():0.000} in use, {c["candidate_brier"]!.GetValue<double>():0.000} candidate")
            : v["policy"] is { } p
                ? string.Create(CultureInfo.InvariantCulture, $"greedy {p["playbook_id"]}: {p["self_normalized"]!.GetValue<double>():0.00} estimated (IPS {p["ips"]!.GetValue<double>():0.00}) on {p["decisions"]} logged decisions ({p["supported"]} its own choice) against {p["logged_value"]!.GetValue<double>():0.00} logged")
            : v["validation"] is { } d
                ? $"false alarms on {d["normal"]} held-back points {d["current_false_alarms"]} in use, {d["candidate_false_alarms"]} candidate; abnormal points caught {d["current_caught"]} and {d["candidate_caught"]} of {d["abnormal"]}"
                : "not validated";
        return $"{v["model"]} {v["key"]} v{v["version"]}: fitted on {v["trained_on"]}; {check}; {outcome}";
    }
}
