namespace Medic.Core.Playbooks;

/// <summary>A notification a playbook sends: the channel and a <c>{{ }}</c> template of the text.</summary>
public sealed record NotifySpec(string Channel, string Template);
