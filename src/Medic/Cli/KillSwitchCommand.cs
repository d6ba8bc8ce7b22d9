using System.CommandLine;
using System.Text.Json.Nodes;

namespace Medic.Cli;

/// <summary><c>medic killswitch on|off|status [--playbook ID]</c>, against a running server.</summary>
internal static class KillSwitchCommand
{
    public static Command Create()
    {
        var state = new Argument<string>("state") { Description = "on, off or status." };
        state.AcceptOnlyFromAmong("on", "off", "status");
        var playbook = new Option<string?>("--playbook") { Description = "The playbook's own kill switch instead of the global one." };
        var reason = new Option<string?>("--reason") { Description = "Why: shown with every decision it blocks." };
        var (by, server) = (CommonOptions.By(), CommonOptions.Server());
        var command = new Command("killswitch", "Engage or release the kill switch: while it is on, nothing is executed and everything is still recorded. Without a server, set MEDIC_KILL_SWITCH=1 or create the KILLSWITCH file beside the database.")
        {
            state, playbook, reason, by, server,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            var path = result.GetValue(playbook) is { } id ? $"api/v1/playbooks/{Uri.EscapeDataString(id)}/killswitch" : "api/v1/killswitch";
            return result.GetValue(state) == "status"
                ? await client.GetAsync(path, Describe, cancellationToken)
                : await client.PostAsync(path, new { Engaged = result.GetValue(state) == "on", By = result.GetValue(by), Reason = result.GetValue(reason) }, Describe, cancellationToken);
        });
        return command;
    }

    private static string Describe(JsonNode state) =>
        state["engaged"]?.GetValue<bool>() == true
            ? $"kill switch ON ({state["source"]}; by {state["by"]}{(state["reason"] is { } r ? ": " + r : "")})"
            : "kill switch off";
}
