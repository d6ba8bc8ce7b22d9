namespace Medic.Core.Policy;

/// <summary>A period in which nothing is changed automatically (people may still approve), optionally for part of the estate.</summary>
public sealed record ChangeFreeze
{
    /// <summary>When it starts.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>When it ends (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Why, shown in every decision it affects.</summary>
    public string Reason { get; init; } = "change freeze";

    /// <summary>The environment it covers, or all.</summary>
    public string? Environment { get; init; }

    /// <summary>The namespace it covers, or all.</summary>
    public string? Namespace { get; init; }

    /// <summary>The service it covers, or all.</summary>
    public string? Service { get; init; }

    /// <summary>Whether it covers this moment and target.</summary>
    public bool Covers(DateTimeOffset at, string environment, PolicyTarget target) =>
        at >= From && at < To
        && (Environment is null || Environment == environment)
        && (Namespace is null || Namespace == target.Namespace)
        && (Service is null || Service == target.Service);
}
