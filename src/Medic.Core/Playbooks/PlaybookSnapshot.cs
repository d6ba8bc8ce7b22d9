namespace Medic.Core.Playbooks;

/// <summary>The playbook files of a source at one revision.</summary>
/// <param name="Revision">A Git commit, or a description of the directory's state.</param>
/// <param name="Files">The files, by name relative to the playbook root.</param>
public sealed record PlaybookSnapshot(string Revision, IReadOnlyList<PlaybookFile> Files)
{
    /// <summary>Why the source could not be read (the repository was unreachable, say); then nothing changes.</summary>
    public string? Problem { get; init; }
}

/// <summary>One playbook file's name and text.</summary>
public sealed record PlaybookFile(string Name, string Text);
