namespace Medic.Core.Incidents;

/// <summary>An incident's lifecycle: open → diagnosed → remediating → resolved or escalated.</summary>
public enum IncidentState
{
    /// <summary>Signals are being grouped; no diagnosis yet.</summary>
    Open,

    /// <summary>A root cause is proposed.</summary>
    Diagnosed,

    /// <summary>A playbook was chosen and is waiting for approval or running.</summary>
    Remediating,

    /// <summary>Verified healthy again.</summary>
    Resolved,

    /// <summary>Handed to people: no playbook, a rejected or failed fix, or no recovery.</summary>
    Escalated,

    /// <summary>Turned out to be part of another incident, which took its signals (see <see cref="Incident.MergedInto"/>).</summary>
    Merged,
}
