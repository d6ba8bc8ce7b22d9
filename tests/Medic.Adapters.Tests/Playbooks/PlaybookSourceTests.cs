using LibGit2Sharp;
using Medic.Adapters.Hosting;
using Medic.Adapters.Playbooks;
using Medic.Core.Playbooks;
using Medic.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medic.Adapters.Tests.Playbooks;

public sealed class PlaybookSourceTests : IDisposable
{
    private static readonly Signature Author = new("ops", "ops@example.com", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_directory_gives_its_yaml_files_and_a_revision_that_changes_with_them()
    {
        var folder = Directory.CreateDirectory(_dir.File("playbooks")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.yaml"), Playbook("a", 1));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a playbook");
        var source = new DirectoryPlaybookSource(folder);

        var first = await source.ReadAsync(CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "a.yaml"), Playbook("a", 2));
        var second = await source.ReadAsync(CancellationToken.None);

        Assert.Equal(["a.yaml"], first.Files.Select(f => f.Name));
        Assert.StartsWith("dir:", first.Revision, StringComparison.Ordinal);
        Assert.NotEqual(first.Revision, second.Revision);
    }

    [Fact]
    public async Task A_missing_directory_is_a_problem_not_an_empty_set()
    {
        var snapshot = await new DirectoryPlaybookSource(_dir.File("nope")).ReadAsync(CancellationToken.None);
        Assert.Contains("does not exist", snapshot.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Git_playbooks_follow_the_branch_and_record_the_commit()
    {
        var origin = _dir.File("origin");
        Repository.Init(origin);
        var first = Commit(origin, ("playbooks/a.yaml", Playbook("a", 1)));
        var source = new GitPlaybookSource(new GitPlaybookOptions { Url = origin, Branch = "main", Path = "playbooks", Checkout = _dir.File("checkout") });
        var repository = new PlaybookRepository(null);
        using var reloader = new PlaybookReloader(source, repository, TimeProvider.System, new PlaybookReloaderOptions(), NullLogger<PlaybookReloader>.Instance);

        await reloader.ReloadAsync(CancellationToken.None);
        Assert.Equal($"git:{first[..12]}", repository.Find("a")!.Revision);

        var second = Commit(origin, ("playbooks/a.yaml", Playbook("a", 2)), ("playbooks/b.yaml", Playbook("b", 1)));
        var result = await reloader.ReloadAsync(CancellationToken.None);

        Assert.Equal(["b"], result.Added);
        Assert.Equal(["a"], result.Changed);
        Assert.Equal($"git:{second[..12]}", repository.Revision);

        Commit(origin, ("playbooks/a.yaml", "playbook_id: a\nbroken: [\n"));
        await reloader.ReloadAsync(CancellationToken.None);
        Assert.Equal("v2", repository.Find("a")!.Description);
        Assert.Contains(repository.Errors, e => e.Source == "a.yaml");
    }

    [Fact]
    public async Task An_unreachable_repository_keeps_what_was_loaded()
    {
        var source = new GitPlaybookSource(new GitPlaybookOptions { Url = _dir.File("no-such-repo"), Checkout = _dir.File("checkout") });
        var snapshot = await source.ReadAsync(CancellationToken.None);
        Assert.StartsWith("cannot read git", snapshot.Problem, StringComparison.Ordinal);
    }

    private static string Playbook(string id, int version) =>
        $"playbook_id: {id}\ndescription: v{version}\ntrigger: {{exists: anomaly.type}}\nactions: [{{name: a, type: kubernetes_api_call}}]\n";

    private static string Commit(string path, params (string File, string Text)[] files)
    {
        using var repository = new Repository(path);
        foreach (var (file, text) in files)
        {
            var full = Path.Combine(path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            Commands.Stage(repository, file);
        }

        var commit = repository.Commit("update playbooks", Author, Author);
        if (repository.Branches["main"] is null)
        {
            repository.Refs.Add("refs/heads/main", commit.Id);
        }

        repository.Refs.UpdateTarget("refs/heads/main", commit.Id.Sha);
        return commit.Sha;
    }
}
