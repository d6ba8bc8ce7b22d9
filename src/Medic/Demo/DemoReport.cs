namespace Medic.Demo;

/// <summary>The demo's outcome, one entry per injected fault; written by <c>--json</c>.</summary>
public sealed record DemoReport(IReadOnlyList<DemoIncident> Incidents);

/// <summary>What happened to one injected fault. Times are in simulated seconds from its injection.</summary>
public sealed record DemoIncident
{
    /// <summary>The fault injected.</summary>
    public required string Fault { get; init; }

    /// <summary>The service (or node) that was the true root cause.</summary>
    public required string Service { get; init; }

    /// <summary>The true root cause as <c>kind/name</c>.</summary>
    public required string RootCause { get; init; }

    /// <summary>Seconds from injection to the first signal of its incident; null when never detected.</summary>
    public double? DetectedAfterS { get; init; }

    /// <summary>Medic's diagnosis, for people.</summary>
    public string? Diagnosis { get; init; }

    /// <summary>Whether the diagnosed root cause is the true one.</summary>
    public bool RootCauseCorrect { get; init; }

    /// <summary>The playbook chosen.</summary>
    public string? Playbook { get; init; }

    /// <summary>The automation level that applied: L1, L2 or L3.</summary>
    public string? AutomationLevel { get; init; }

    /// <summary>The actions run, one line each.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Whether verification saw the SLOs recover.</summary>
    public bool Recovered { get; init; }

    /// <summary>Seconds from injection to recovery; null when not recovered.</summary>
    public double? TimeToRecoverS { get; init; }

    /// <summary>The incident's id in the API.</summary>
    public string? IncidentId { get; init; }

    /// <summary>Why it was not healed, when it was not.</summary>
    public string? NotHealedBecause { get; init; }
}
