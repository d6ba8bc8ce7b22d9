namespace Medic.Core.Playbooks;

/// <summary>
/// The playbooks in force. Each reload validates every file: a valid file replaces its
/// playbook, an invalid one is rejected with its errors while the last good version of that
/// file keeps serving, a deleted file's playbooks go. A source that cannot be read changes
/// nothing. Readers always see one consistent set.
/// </summary>
public sealed class PlaybookRepository(IReadOnlyDictionary<string, Workflows.ParameterCheck>? knownActionTypes)
{
    private volatile State _state = new([], [], "", new Dictionary<string, Playbook>(StringComparer.Ordinal));

    /// <summary>The playbooks in force, highest priority first.</summary>
    public IReadOnlyList<Playbook> Playbooks => _state.Playbooks;

    /// <summary>The problems found at the last reload (rejected files, an unreachable source).</summary>
    public IReadOnlyList<PlaybookError> Errors => _state.Errors;

    /// <summary>The revision last read.</summary>
    public string Revision => _state.Revision;

    /// <summary>The playbook with this id, or null.</summary>
    public Playbook? Find(string id) => _state.Playbooks.FirstOrDefault(p => p.Id == id);

    /// <summary>Applies what a source holds now; returns what changed.</summary>
    public ReloadResult Apply(PlaybookSnapshot snapshot)
    {
        var previous = _state;
        if (snapshot.Problem is { } problem)
        {
            _state = previous with { Errors = [new PlaybookError(snapshot.Revision, 0, 0, "", $"{problem}; still serving revision {previous.Revision}")] };
            return new ReloadResult([], [], [], 1);
        }

        var errors = new List<PlaybookError>();
        var byFile = new Dictionary<string, Playbook>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var (playbook, fileErrors) = PlaybookLoader.Parse(file.Text, file.Name, knownActionTypes, snapshot.Revision);
            errors.AddRange(fileErrors);
            if (playbook is null && previous.ByFile.TryGetValue(file.Name, out var lastGood))
            {
                errors.Add(new PlaybookError(file.Name, 0, 0, "", $"rejected; the last good version of {lastGood.Id} (version {lastGood.Version}, revision {lastGood.Revision}) keeps serving"));
                playbook = lastGood;
            }

            if (playbook is null)
            {
                continue;
            }

            if (byFile.Values.FirstOrDefault(p => p.Id == playbook.Id) is { } first)
            {
                errors.Add(new PlaybookError(file.Name, 1, 1, "playbook_id", $"'{playbook.Id}' is already defined in {first.Source}; ids must be unique"));
                continue;
            }

            byFile[file.Name] = playbook;
        }

        var playbooks = byFile.Values.OrderByDescending(p => p.Priority).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        _state = new State(playbooks, errors, snapshot.Revision, byFile);
        var before = previous.Playbooks.ToDictionary(p => p.Id, p => p.Version, StringComparer.Ordinal);
        return new ReloadResult(
            playbooks.Where(p => !before.ContainsKey(p.Id)).Select(p => p.Id).ToList(),
            playbooks.Where(p => before.TryGetValue(p.Id, out var v) && v != p.Version).Select(p => p.Id).ToList(),
            before.Keys.Where(id => playbooks.All(p => p.Id != id)).ToList(),
            errors.Select(e => e.Source).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Replaces the set directly (for tests and embedded use).</summary>
    public void Set(IEnumerable<Playbook> playbooks)
    {
        var list = playbooks.OrderByDescending(p => p.Priority).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        _state = new State(list, [], "set", list.ToDictionary(p => p.Source.Length > 0 ? p.Source : p.Id, StringComparer.Ordinal));
    }

    private sealed record State(IReadOnlyList<Playbook> Playbooks, IReadOnlyList<PlaybookError> Errors, string Revision, IReadOnlyDictionary<string, Playbook> ByFile);
}

/// <summary>What a reload changed.</summary>
/// <param name="Added">Playbooks that are new.</param>
/// <param name="Changed">Playbooks whose version changed.</param>
/// <param name="Removed">Playbooks that are gone.</param>
/// <param name="RejectedFiles">Files (or sources) with errors.</param>
public sealed record ReloadResult(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed, int RejectedFiles)
{
    /// <summary>Whether anything changed or failed.</summary>
    public bool Eventful => Added.Count + Changed.Count + Removed.Count + RejectedFiles > 0;
}
