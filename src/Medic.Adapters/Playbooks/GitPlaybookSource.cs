using LibGit2Sharp;
using Medic.Core.Playbooks;

namespace Medic.Adapters.Playbooks;

/// <summary>
/// Playbooks from a Git repository, pinned to a branch: cloned on first read, then fetched and
/// reset to the branch's head on every read. The revision is the commit, so every decision
/// records which commit of which playbook decided it.
/// </summary>
public sealed class GitPlaybookSource(GitPlaybookOptions options) : IPlaybookSource, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <inheritdoc />
    public string Description => $"git {options.Url} ({options.Branch}{(string.IsNullOrEmpty(options.Path) ? "" : ", " + options.Path)})";

    /// <inheritdoc />
    public async Task<PlaybookSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var commit = await Task.Run(Sync, cancellationToken);
            var directory = Path.Combine(options.Checkout, options.Path ?? "");
            var snapshot = await new DirectoryPlaybookSource(directory).ReadAsync(cancellationToken);
            return snapshot with { Revision = $"git:{commit[..12]}" };
        }
        catch (LibGit2SharpException e)
        {
            return new PlaybookSnapshot($"git:{options.Url}", []) { Problem = $"cannot read {Description}: {e.Message}" };
        }
        finally
        {
            _lock.Release();
        }
    }

    private string Sync()
    {
        if (!Repository.IsValid(options.Checkout))
        {
            if (Directory.Exists(options.Checkout))
            {
                Directory.Delete(options.Checkout, recursive: true);
            }

            Repository.Clone(options.Url, options.Checkout, new CloneOptions { BranchName = options.Branch, Checkout = true });
        }

        using var repository = new Repository(options.Checkout);
        var remote = repository.Network.Remotes["origin"];
        Commands.Fetch(repository, remote.Name, [$"+refs/heads/{options.Branch}:refs/remotes/origin/{options.Branch}"], new FetchOptions(), null);
        var head = repository.Branches[$"origin/{options.Branch}"]?.Tip
            ?? throw new LibGit2SharpException($"branch {options.Branch} does not exist in {options.Url}");
        repository.Reset(ResetMode.Hard, head);
        return head.Sha;
    }
}
