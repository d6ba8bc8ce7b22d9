namespace Medic.Core.Playbooks;

/// <summary>
/// The playbooks loaded from a directory (<c>./playbooks</c> by default), with the errors of the
/// files that were rejected. A rejected file never stops the others from loading.
/// </summary>
public sealed class PlaybookCatalog
{
    private volatile Snapshot _current = new([], []);

    /// <summary>The valid playbooks, highest priority first.</summary>
    public IReadOnlyList<Playbook> Playbooks => _current.Playbooks;

    /// <summary>The problems of the files that were rejected.</summary>
    public IReadOnlyList<PlaybookError> Errors => _current.Errors;

    /// <summary>Loads every <c>*.yaml</c> and <c>*.yml</c> file of <paramref name="directory"/>, replacing what was loaded.</summary>
    public void Load(string directory, IReadOnlySet<string>? knownActionTypes)
    {
        var errors = new List<PlaybookError>();
        var playbooks = new List<Playbook>();
        if (!Directory.Exists(directory))
        {
            errors.Add(new PlaybookError(directory, 0, 0, "", "playbook directory does not exist; create it or pass --playbooks DIR"));
        }
        else
        {
            var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var (playbook, fileErrors) = PlaybookLoader.Parse(File.ReadAllText(file), Path.GetFileName(file), knownActionTypes);
                errors.AddRange(fileErrors);
                if (playbook is null)
                {
                    continue;
                }

                if (playbooks.FirstOrDefault(p => p.Id == playbook.Id) is { } first)
                {
                    errors.Add(new PlaybookError(playbook.Source, 1, 1, "playbook_id", $"'{playbook.Id}' is already defined in {first.Source}; ids must be unique"));
                    continue;
                }

                playbooks.Add(playbook);
            }
        }

        _current = new Snapshot(playbooks.OrderByDescending(p => p.Priority).ThenBy(p => p.Id, StringComparer.Ordinal).ToList(), errors);
    }

    /// <summary>Replaces the loaded set (for tests and embedded use).</summary>
    public void Set(IEnumerable<Playbook> playbooks) =>
        _current = new Snapshot(playbooks.OrderByDescending(p => p.Priority).ThenBy(p => p.Id, StringComparer.Ordinal).ToList(), []);

    /// <summary>The playbook with this id, or null.</summary>
    public Playbook? Find(string id) => _current.Playbooks.FirstOrDefault(p => p.Id == id);

    private sealed record Snapshot(IReadOnlyList<Playbook> Playbooks, IReadOnlyList<PlaybookError> Errors);
}
