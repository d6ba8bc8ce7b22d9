using System.CommandLine;
using System.Text.Json.Nodes;

namespace Medic.Cli;

/// <summary><c>medic silence add|list|expire</c>, against a running server.</summary>
internal static class SilenceCommand
{
    public static Command Create() => new("silence", "Mute matching signals for a while (planned work, a problem already being fixed): they open and join no incident.")
    {
        Add(), List(), Expire(),
    };

    private static Command Add()
    {
        var matchers = new Argument<string[]>("matchers") { Description = "Conditions on signal labels, all of which must hold: name=value, name!=value, name=~regex, name!~regex (e.g. service=cart alertname=~High.*).", Arity = ArgumentArity.OneOrMore };
        var comment = new Option<string>("--comment") { Description = "Why: what is being worked on. Shown with the silence.", Required = true };
        var duration = new Option<string>("--duration") { Description = "How long it mutes, from now: 30m, 2h, 1d (at most 30 days).", DefaultValueFactory = _ => "1h" };
        var (by, server) = (CommonOptions.By(), CommonOptions.Server());
        var command = new Command("add", "Create a silence.") { matchers, comment, duration, by, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            return await client.PostAsync(
                "api/v1/silences",
                new { Matchers = result.GetValue(matchers), CreatedBy = result.GetValue(by), Comment = result.GetValue(comment), Duration = result.GetValue(duration) },
                s => $"silence {s["id"]} until {ServerClient.Time(s["ends_at"])}: {Describe(s)}",
                cancellationToken);
        });
        return command;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Also the silences that have ended." };
        var server = CommonOptions.Server();
        var command = new Command("list", "List the silences that mute now or later.") { all, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            return await client.GetAsync(
                result.GetValue(all) ? "api/v1/silences?all=true" : "api/v1/silences",
                list => list["silences"]!.AsArray() is { Count: > 0 } items
                    ? string.Join('\n', items.Select(s => $"{s!["id"]}  {ServerClient.Time(s["starts_at"])} .. {ServerClient.Time(s["ends_at"])}  {Describe(s)}  by {s["created_by"]}: {s["comment"]}"))
                    : "no silences",
                cancellationToken);
        });
        return command;
    }

    private static Command Expire()
    {
        var id = new Argument<string>("id") { Description = "The silence." };
        var (by, server) = (CommonOptions.By(), CommonOptions.Server());
        var command = new Command("expire", "End a silence now.") { id, by, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            return await client.DeleteAsync(
                $"api/v1/silences/{Uri.EscapeDataString(result.GetValue(id)!)}?by={Uri.EscapeDataString(result.GetValue(by)!)}",
                s => $"silence {s["id"]} ended at {ServerClient.Time(s["ends_at"])}",
                cancellationToken);
        });
        return command;
    }

    private static string Describe(JsonNode silence) =>
        string.Join(' ', silence["matchers"]!.AsArray().Select(m => $"{m!["name"]}{Operator(m["operator"]!.GetValue<string>())}\"{m["value"]}\""));

    private static string Operator(string name) => name switch
    {
        "not_equal" => "!=",
        "regex" => "=~",
        "not_regex" => "!~",
        _ => "=",
    };
}
