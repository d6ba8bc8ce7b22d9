namespace Medic.Adapters.Playbooks;

/// <summary>Where playbooks come from when they live in Git.</summary>
public sealed class GitPlaybookOptions
{
    /// <summary>The repository: a URL or a local path.</summary>
    public required string Url { get; init; }

    /// <summary>The branch to follow. Default <c>main</c>.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The folder inside the repository that holds the playbooks. Default: its root.</summary>
    public string? Path { get; init; }

    /// <summary>Where the working copy is kept. Default <c>data/playbooks-git</c>.</summary>
    public string Checkout { get; init; } = System.IO.Path.Combine("data", "playbooks-git");
}
