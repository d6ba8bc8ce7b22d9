namespace Medic.Core.Playbooks;

/// <summary>A problem in a playbook file, with where it is and how to fix it.</summary>
/// <param name="Source">The file.</param>
/// <param name="Line">1-based line (0 when not known).</param>
/// <param name="Column">1-based column (0 when not known).</param>
/// <param name="Path">The field, e.g. <c>actions[1].type</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record PlaybookError(string Source, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:column: path: message</c>.</summary>
    public override string ToString() =>
        string.IsNullOrEmpty(Path) ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}:{Line}:{Column}: {Path}: {Message}";
}
