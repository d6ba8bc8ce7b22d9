namespace Medic.Core.Policy;

/// <summary>
/// An automation-level override for part of the estate. A rule applies when every field it
/// names matches; <see cref="Level"/> sets the level, <see cref="Max"/> caps it. Rules apply
/// from the least specific to the most, so a service rule wins over its namespace's.
/// </summary>
public sealed record LevelRule
{
    /// <summary>The environment it applies to, or any.</summary>
    public string? Environment { get; init; }

    /// <summary>The namespace it applies to, or any.</summary>
    public string? Namespace { get; init; }

    /// <summary>The service it applies to, or any.</summary>
    public string? Service { get; init; }

    /// <summary>The playbook it applies to, or any.</summary>
    public string? Playbook { get; init; }

    /// <summary>Sets the level.</summary>
    public AutomationLevel? Level { get; init; }

    /// <summary>Caps the level.</summary>
    public AutomationLevel? Max { get; init; }

    /// <summary>How many fields it names.</summary>
    public int Specificity => new[] { Environment, Namespace, Service, Playbook }.Count(f => f is not null);

    /// <summary>Whether it applies.</summary>
    public bool Matches(string environment, PolicyTarget target, string playbook) =>
        (Environment is null || Environment == environment)
        && (Namespace is null || Namespace == target.Namespace)
        && (Service is null || Service == target.Service)
        && (Playbook is null || Playbook == playbook);

    /// <summary>A short description: <c>namespace=shop service=cart</c>.</summary>
    public override string ToString() => string.Join(' ', new[]
    {
        Environment is null ? null : $"environment={Environment}",
        Namespace is null ? null : $"namespace={Namespace}",
        Service is null ? null : $"service={Service}",
        Playbook is null ? null : $"playbook={Playbook}",
    }.Where(p => p is not null).DefaultIfEmpty("everything"));
}
