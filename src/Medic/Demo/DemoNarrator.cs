using Medic.Core;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Verification;
using Medic.Core.Workflows;
using Spectre.Console;

namespace Medic.Demo;

/// <summary>Prints one line per stage of the loop as it happens, stamped with simulated time.</summary>
public sealed class DemoNarrator(IAnsiConsole console, DemoJournal journal, IIncidentStore incidents, TimeProvider clock) : IStage
{
    private readonly Dictionary<string, string> _leaders = [];
    private readonly Lock _console = new();

    /// <inheritdoc />
    public string Name => "demo-narrator";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } =
    [
        typeof(ChangeEvent), typeof(Signal), typeof(IncidentChanged), typeof(DiagnosisReady), typeof(DecisionMade),
        typeof(StepFinished), typeof(NotificationRequested), typeof(VerificationFinished), typeof(IncidentStateChanged),
    ];

    /// <summary>Prints a line of the demo's own (fault injection, progress).</summary>
    public void Say(string label, string color, string text)
    {
        // The approver speaks from its own tasks; one line at a time.
        lock (_console)
        {
            console.MarkupLine($"[grey]{clock.GetUtcNow():HH:mm:ss}[/] [{color}]{label,-10}[/] {Markup.Escape(text)}");
        }
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ChangeEvent change:
                Say("change", "blue", change.Description);
                break;
            case Signal signal:
                Say("detected", "yellow", $"{signal.Type}: {signal.Summary}");
                break;
            case IncidentChanged { Opened: true } opened:
                var incident = await incidents.GetAsync(opened.IncidentId, cancellationToken);
                Say("incident", "red", $"#{journal.Number(opened.IncidentId)} opened: {incident?.Title}");
                break;
            case DiagnosisReady diagnosis:
                var top = diagnosis.Hypotheses[0];
                var leader = $"{top.Entity}:{top.FaultKind}";
                if (_leaders.GetValueOrDefault(diagnosis.IncidentId) != leader)
                {
                    _leaders[diagnosis.IncidentId] = leader;
                    Say("diagnosis", "aqua", $"#{journal.Number(diagnosis.IncidentId)}: root cause {top.Entity} ({top.FaultKind}), confidence {Humanize.Percent(top.Confidence)}: {(top.Story.Length > 0 ? top.Story : string.Join("; ", top.Evidence))}");
                }

                break;
            case DecisionMade { Decision: var d }:
                Say(d.Status is DecisionStatus.Approved or DecisionStatus.Rejected or DecisionStatus.Expired && d.DecidedBy != "medic" ? "approval" : "decision", "fuchsia", $"#{journal.Number(d.IncidentId)}: {Describe(d)}");
                break;
            case StepFinished step:
                var detail = step.Step.Log.Count > 0 ? string.Join("; ", step.Step.Log) : step.Step.Error ?? "";
                Say("action", "green", $"#{journal.Number(step.IncidentId)}: {step.Step.Name} ({step.Step.Type}) {step.Step.State.ToString().ToLowerInvariant()}{(detail.Length > 0 ? ": " + detail : "")}");
                break;
            case NotificationRequested notification:
                Say("notify", "blue", $"#{journal.Number(notification.IncidentId)}: [{notification.Channel}] {notification.Text}");
                break;
            case VerificationFinished { Outcome: var outcome }:
                Say("verified", outcome.Kind == OutcomeKind.Recovered ? "green" : "red", $"#{journal.Number(outcome.IncidentId)}: {Humanize.Words(outcome.Kind)}: {outcome.Reason}");
                break;
            case IncidentStateChanged { State: IncidentState.Resolved or IncidentState.Escalated } closed:
                Say("incident", closed.State == IncidentState.Resolved ? "green" : "red", $"#{journal.Number(closed.IncidentId)} {closed.State.ToString().ToLowerInvariant()}: {closed.Reason}");
                break;
        }
    }

    private static string Describe(Decision d) => d.Status switch
    {
        DecisionStatus.NoMatch => d.Reason,
        DecisionStatus.AwaitingApproval => $"playbook {d.PlaybookId} at {d.Level}; {d.Reason} (approvers: {(d.Approvers.Count == 0 ? "any operator" : string.Join(", ", d.Approvers))}; expires {d.ExpiresAt:HH:mm:ss})",
        DecisionStatus.Approved when d.DecidedBy == "medic" => $"playbook {d.PlaybookId} at {d.Level}; {d.Reason}",
        DecisionStatus.Approved => $"playbook {d.PlaybookId} approved by {d.DecidedBy}" + (d.Note is null ? "" : $" ({d.Note})"),
        DecisionStatus.Blocked => $"playbook {d.PlaybookId} BLOCKED: {d.Reason}",
        _ => $"playbook {d.PlaybookId} {d.Status.ToString().ToLowerInvariant()} by {d.DecidedBy}" + (d.Note is null ? "" : $": {d.Note}"),
    };
}
