using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Policy;

public sealed class KillSwitchTests : IDisposable
{
    private readonly InMemoryAuditLog _audit = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"medic-killswitch-{Guid.NewGuid():n}");
    private string? _environment;

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Setting_it_through_the_API_is_kept_and_audited()
    {
        using var killSwitch = Create();
        Assert.False((await killSwitch.GetAsync(CancellationToken.None)).Engaged);

        var on = await killSwitch.SetAsync(true, "sre", "game day", CancellationToken.None);

        Assert.True(on.Engaged);
        Assert.Equal(("sre", "game day", "api"), (on.By, on.Reason, on.Source));
        Assert.Equal("killswitch.engaged", _audit.Entries.Single().Action);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public async Task The_environment_variable_engages_it_and_the_API_cannot_release_it(string value, bool engaged)
    {
        _environment = value;
        using var killSwitch = Create();
        var state = await killSwitch.SetAsync(false, "sre", "release", CancellationToken.None);
        Assert.Equal(engaged, state.Engaged);
        Assert.Equal(engaged ? "environment" : "api", state.Source);
    }

    [Fact]
    public async Task The_file_engages_it_with_its_first_line_as_the_reason()
    {
        await File.WriteAllTextAsync(_file, "datacenter maintenance\nmore text\n");
        using var killSwitch = Create();
        var state = await killSwitch.GetAsync(CancellationToken.None);
        Assert.Equal((true, "file", "datacenter maintenance"), (state.Engaged, state.Source, state.Reason));

        File.Delete(_file);
        Assert.False((await killSwitch.GetAsync(CancellationToken.None)).Engaged);
    }

    [Fact]
    public async Task A_playbooks_own_switch_is_separate_from_the_global_one()
    {
        using var killSwitch = Create();
        await killSwitch.SetAsync(true, "sre", "flaky", CancellationToken.None, playbookId: "k8s-deploy-rollback-v1");

        Assert.True((await killSwitch.GetAsync("k8s-deploy-rollback-v1", CancellationToken.None)).Engaged);
        Assert.False((await killSwitch.GetAsync("other", CancellationToken.None)).Engaged);
        Assert.False((await killSwitch.GetAsync(CancellationToken.None)).Engaged);
        Assert.Equal("killswitch:playbook:k8s-deploy-rollback-v1", _audit.Entries.Single().Subject);
    }

    private KillSwitch Create() => new(new InMemorySettingsStore(), _audit, new FakeTimeProvider(Some.Start), new KillSwitchOptions { File = _file, ReadEnvironment = _ => _environment });
}
