using Medic.Core.Changes;
using Medic.Core.Decisions;
using Medic.Core.Events;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Verification;
using Medic.Core.Workflows;

namespace Medic.Core.Bus;

/// <summary>
/// Every topic of the loop, by name. The name is what a persisted message is stored under,
/// so renaming a message type needs a migration of pending messages.
/// </summary>
public static class MessageTypes
{
    /// <summary>Topic name to message type.</summary>
    public static IReadOnlyDictionary<string, Type> ByName { get; } = new[]
    {
        typeof(SampleBatch), typeof(KubernetesEvent), typeof(ChangeEvent), typeof(Signal),
        typeof(IncidentChanged), typeof(IncidentStateChanged), typeof(DiagnosisReady), typeof(DecisionMade), typeof(ExecutionRequested),
        typeof(RunStarted), typeof(StepFinished), typeof(RunFinished), typeof(RunResumeRequested), typeof(VerificationFinished), typeof(NotificationRequested), typeof(Alerts.ExternalAlertResolved), typeof(Logs.LogBatch), typeof(Traces.SpanBatch),
        typeof(SilencesChanged), typeof(IncidentsMergeRequested), typeof(IncidentSplitRequested),
    }.ToDictionary(NameOf);

    /// <summary>The topic name of a message type.</summary>
    public static string NameOf(Type type) => type.Name;
}
