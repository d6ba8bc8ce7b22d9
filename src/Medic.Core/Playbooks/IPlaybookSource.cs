namespace Medic.Core.Playbooks;

/// <summary>Where playbooks come from: a directory, or a Git repository.</summary>
public interface IPlaybookSource
{
    /// <summary>What it is, for people: <c>directory playbooks</c>, <c>git https://… (main)</c>.</summary>
    string Description { get; }

    /// <summary>Reads the current files. A source that cannot be reached answers with a <see cref="PlaybookSnapshot.Problem"/>, not an exception.</summary>
    Task<PlaybookSnapshot> ReadAsync(CancellationToken cancellationToken);
}
