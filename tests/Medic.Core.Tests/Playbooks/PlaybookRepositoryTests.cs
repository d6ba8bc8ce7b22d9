using Medic.Core.Playbooks;

namespace Medic.Core.Tests.Playbooks;

public sealed class PlaybookRepositoryTests
{

    [Fact]
    public void A_broken_edit_keeps_the_last_good_version_serving()
    {
        var repository = new PlaybookRepository(null);
        repository.Apply(Snapshot("r1", ("a.yaml", Yaml("a", 1)), ("b.yaml", Yaml("b", 1))));

        var result = repository.Apply(Snapshot("r2", ("a.yaml", "playbook_id: a\nactions: []\n"), ("b.yaml", Yaml("b", 2))));

        Assert.Equal("v1", repository.Find("a")!.Description);
        Assert.Equal("r1", repository.Find("a")!.Revision);
        Assert.Equal("v2", repository.Find("b")!.Description);
        Assert.Equal(["b"], result.Changed);
        Assert.Contains(repository.Errors, e => e.Message.StartsWith("rejected; the last good version of a", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deleted_file_takes_its_playbook_away()
    {
        var repository = new PlaybookRepository(null);
        repository.Apply(Snapshot("r1", ("a.yaml", Yaml("a", 1)), ("b.yaml", Yaml("b", 1))));

        var result = repository.Apply(Snapshot("r2", ("b.yaml", Yaml("b", 1))));

        Assert.Null(repository.Find("a"));
        Assert.Equal(["a"], result.Removed);
    }

    [Fact]
    public void An_unreadable_source_changes_nothing_and_says_why()
    {
        var repository = new PlaybookRepository(null);
        repository.Apply(Snapshot("r1", ("a.yaml", Yaml("a", 1))));

        repository.Apply(new PlaybookSnapshot("git:x", []) { Problem = "cannot reach the repository" });

        Assert.NotNull(repository.Find("a"));
        Assert.Equal("cannot reach the repository; still serving revision r1", repository.Errors.Single().Message);
    }

    [Fact]
    public void A_file_that_was_never_good_is_just_rejected()
    {
        var repository = new PlaybookRepository(null);
        repository.Apply(Snapshot("r1", ("bad.yaml", "playbook_id: x\n")));

        Assert.Empty(repository.Playbooks);
        Assert.Equal("bad.yaml:1:1: 'trigger' is required", repository.Errors[0].ToString());
    }

    [Fact]
    public void Playbooks_carry_the_revision_they_were_loaded_from()
    {
        var repository = new PlaybookRepository(null);
        repository.Apply(Snapshot("git:0123456789ab", ("a.yaml", Yaml("a", 1))));

        Assert.Equal("git:0123456789ab", repository.Find("a")!.Revision);
        Assert.Equal("git:0123456789ab", repository.Revision);
    }

    private static string Yaml(string id, int version) =>
        $"playbook_id: {id}\ndescription: v{version}\ntrigger: {{exists: anomaly.type}}\nactions: [{{name: a, type: kubernetes_api_call}}]\n";

    private static PlaybookSnapshot Snapshot(string revision, params (string Name, string Text)[] files) =>
        new(revision, files.Select(f => new PlaybookFile(f.Name, f.Text)).ToList());
}
