using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medic.Composition;
using Medic.Configuration;
using Medic.Core;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;

namespace Medic.Cli;

/// <summary>
/// <c>medic playbook test FILE --event EVENT.json [--at TIME] [--json OUT]</c>: whether the
/// playbook matches the event and why, its steps rendered, and the policy verdict; runs nothing.
/// </summary>
internal static class PlaybookTestCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The playbook file." };
        var eventFile = new Option<string>("--event") { Description = "A JSON file with the context the trigger and templates see.", Required = true };
        var at = new Option<string?>("--at") { Description = "Evaluate the policy as of this time (ISO 8601, e.g. 2026-11-27T10:00:00Z). Default: now." };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file." };
        var config = CommonOptions.Config();
        var command = new Command("test", "Try a playbook against an event: match and reasons, rendered steps, policy verdict. Nothing is executed.")
        {
            file, eventFile, at, json, config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"medic playbook test: no file {path}");
                return 1;
            }

            var (playbook, errors) = PlaybookLoader.Parse(await File.ReadAllTextAsync(path, cancellationToken), path, MedicServices.ActionTypes);
            if (playbook is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"rejected {error}");
                }

                return 1;
            }

            IReadOnlyDictionary<string, object?> context;
            try
            {
                context = PlaybookTrial.Context(await File.ReadAllTextAsync(result.GetValue(eventFile)!, cancellationToken));
            }
            catch (Exception e) when (e is JsonException or FormatException or IOException)
            {
                await Console.Error.WriteLineAsync($"medic playbook test: cannot read the event {result.GetValue(eventFile)}: {e.Message}");
                return 1;
            }

            var when = TimeProvider.System.GetUtcNow();
            if (result.GetValue(at) is { } atText && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
            {
                await Console.Error.WriteLineAsync($"medic playbook test: --at '{atText}' is not a time; write e.g. 2026-11-27T10:00:00Z");
                return 1;
            }

            var options = new MedicOptions();
            if (CommonOptions.ConfigFile(result.GetValue(config)) is { } configPath && MedicConfig.Apply(configPath, options) is { Count: > 0 } configErrors)
            {
                foreach (var error in configErrors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return 1;
            }

            var outcome = PlaybookTrial.Run(playbook, context, new PolicyEngine(options.Policy, new FixedClock(when)));
            await Console.Out.WriteAsync(Text(playbook, outcome));
            if (result.GetValue(json) is { } jsonPath)
            {
                await File.WriteAllTextAsync(jsonPath, Json(outcome).ToJsonString(new JsonSerializerOptions(MedicJson.Options) { WriteIndented = true }) + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static string Text(Playbook playbook, PlaybookTrial.Outcome outcome)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"playbook {playbook.Id} (version {playbook.Version}): {(outcome.Matched ? "matches" : "does not match")}");
        foreach (var reason in outcome.Reasons)
        {
            text.AppendLine($"  {reason}");
        }

        text.AppendLine("steps:");
        foreach (var step in outcome.Steps)
        {
            var state = step.Gated ? "gated: its condition fails, it would be skipped"
                : step.ConditionPending ? "runs if its condition holds (it reads another step's output: only the run can tell)"
                : step.Fallback ? "fallback: runs only if the step naming it fails"
                : "would run";
            text.AppendLine($"  {step.Name} ({step.Type}): {state}");
            foreach (var reason in step.ConditionReasons)
            {
                text.AppendLine($"    {reason}");
            }

            foreach (var (name, value) in step.Rendered)
            {
                text.AppendLine($"    {name}: {PlainTree.ToJson(value)?.ToJsonString(MedicJson.Options) ?? "null"}");
            }

            if (step.Error is { } error)
            {
                text.AppendLine($"    error: {error}");
            }
        }

        var verdict = outcome.Verdict;
        text.AppendLine($"verdict: {verdict.Level}, {(verdict.RequiresApproval ? $"approval required ({verdict.ApprovalsRequired} approver(s))" : Humanize.Words(verdict.Status))}; risk {verdict.Risk.ToString().ToLowerInvariant()}");
        foreach (var reason in verdict.Reasons)
        {
            text.AppendLine($"  {reason}");
        }

        return text.ToString();
    }

    private static JsonObject Json(PlaybookTrial.Outcome outcome) => new()
    {
        ["matched"] = outcome.Matched,
        ["reasons"] = new JsonArray([.. outcome.Reasons.Select(r => (JsonNode)r)]),
        ["steps"] = new JsonArray([.. outcome.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["type"] = s.Type,
            ["gated"] = s.Gated,
            ["condition_pending"] = s.ConditionPending,
            ["fallback"] = s.Fallback,
            ["rendered"] = PlainTree.ToJson(s.Rendered),
            ["condition_reasons"] = new JsonArray([.. s.ConditionReasons.Select(r => (JsonNode)r)]),
            ["error"] = s.Error,
        })]),
        ["verdict"] = new JsonObject
        {
            ["level"] = outcome.Verdict.Level.ToString(),
            ["requires_approval"] = outcome.Verdict.RequiresApproval,
            ["status"] = JsonSerializer.SerializeToNode(outcome.Verdict.Status, MedicJson.Options),
            ["approvals_required"] = outcome.Verdict.ApprovalsRequired,
            ["risk"] = JsonSerializer.SerializeToNode(outcome.Verdict.Risk, MedicJson.Options),
            ["reasons"] = new JsonArray([.. outcome.Verdict.Reasons.Select(r => (JsonNode)r)]),
        },
    };

    /// <summary>A clock stopped at one moment, for evaluating the policy "as of" a time.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
