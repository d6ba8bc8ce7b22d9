namespace Medic.Adapters.Actions.Ansible;

/// <summary>Where Ansible actions find their playbooks (<c>actions.ansible</c> in medic.yaml).</summary>
public sealed class AnsibleActionOptions
{
    /// <summary>The directory playbooks and inventories must be inside. Default <c>ansible</c>.</summary>
    public string Directory { get; set; } = "ansible";

    /// <summary>The ansible-playbook program. Default <c>/usr/bin/ansible-playbook</c>.</summary>
    public string Program { get; set; } = "/usr/bin/ansible-playbook";

    /// <summary>Environment variables passed through. Default PATH, HOME, LANG, SSH_AUTH_SOCK.</summary>
    public IReadOnlyList<string> EnvironmentAllow { get; set; } = ["PATH", "HOME", "LANG", "SSH_AUTH_SOCK"];

    /// <summary>Most output kept. Default 256 KiB.</summary>
    public int MaxOutputBytes { get; set; } = 256 * 1024;
}
