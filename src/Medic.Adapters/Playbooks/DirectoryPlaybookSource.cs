using System.Security.Cryptography;
using System.Text;
using Medic.Core.Playbooks;

namespace Medic.Adapters.Playbooks;

/// <summary>Playbooks from the <c>*.yaml</c> and <c>*.yml</c> files of a directory (not its subdirectories).</summary>
public sealed class DirectoryPlaybookSource(string directory) : IPlaybookSource
{
    /// <summary>Largest playbook file read; a playbook is a page of YAML, this is far beyond any.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <inheritdoc />
    public string Description => $"directory {directory}";

    /// <inheritdoc />
    public async Task<PlaybookSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return new PlaybookSnapshot(directory, []) { Problem = $"playbook directory {directory} does not exist; create it or point the configuration at another" };
        }

        var files = new List<PlaybookFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).Order(StringComparer.Ordinal))
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                files.Add(new PlaybookFile(Path.GetFileName(path), $"# larger than {MaxFileBytes} bytes: not read\n"));
                continue;
            }

            files.Add(new PlaybookFile(Path.GetFileName(path), await File.ReadAllTextAsync(path, cancellationToken)));
        }

        // The revision of a directory is the hash of what it holds, so a change shows as a new revision.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', files.Select(f => f.Name + "\0" + f.Text))));
        return new PlaybookSnapshot($"dir:{Convert.ToHexStringLower(digest)[..12]}", files);
    }
}
