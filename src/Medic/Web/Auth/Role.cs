namespace Medic.Web.Auth;

/// <summary>What a person or a machine may do; each role may do what the ones before it may.</summary>
public enum Role
{
    /// <summary>Read everything; send telemetry (for machines).</summary>
    Viewer = 1,

    /// <summary>Also approve and reject actions, ask for a playbook, cancel runs, silence, merge and split incidents.</summary>
    Operator = 2,

    /// <summary>Also the kill switches, reloading playbooks and resetting what was learnt.</summary>
    Admin = 3,
}
