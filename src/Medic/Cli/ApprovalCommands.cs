using System.CommandLine;

namespace Medic.Cli;

/// <summary><c>medic approve ID</c> and <c>medic reject ID --reason TEXT</c>, against a running server.</summary>
internal static class ApprovalCommands
{
    public static Command Approve()
    {
        var id = new Argument<string>("id") { Description = "The decision id, or the incident id of its waiting decision." };
        var note = new Option<string?>("--note") { Description = "What you want on the record." };
        var (by, server) = (CommonOptions.By(), CommonOptions.Server());
        var command = new Command("approve", "Approve a decision waiting for approval; its playbook runs once enough people approved.") { id, note, by, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            return await client.PostAsync(
                $"api/v1/decisions/{Uri.EscapeDataString(result.GetValue(id)!)}/approve",
                new { By = result.GetValue(by), Note = result.GetValue(note) },
                d => $"{d["status"]}: playbook {d["playbook_id"]} on incident {d["incident_id"]} ({d["approvals"]?.AsArray().Count ?? 0} of {d["approvals_required"]} approval(s))",
                cancellationToken);
        });
        return command;
    }

    public static Command Reject()
    {
        var id = new Argument<string>("id") { Description = "The decision id, or the incident id of its waiting decision." };
        var reason = new Option<string>("--reason") { Description = "Why: it goes on the record and to the next person.", Required = true };
        var (by, server) = (CommonOptions.By(), CommonOptions.Server());
        var command = new Command("reject", "Reject a decision waiting for approval; the incident is escalated to people.") { id, reason, by, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var client = new ServerClient(result.GetValue(server)!);
            return await client.PostAsync(
                $"api/v1/decisions/{Uri.EscapeDataString(result.GetValue(id)!)}/reject",
                new { By = result.GetValue(by), Reason = result.GetValue(reason) },
                d => $"{d["status"]}: playbook {d["playbook_id"]} on incident {d["incident_id"]}",
                cancellationToken);
        });
        return command;
    }
}
