using Medic.Composition;
using Medic.Configuration;
using Medic.Core.Policy;
using Medic.Testing;

namespace Medic.Tests.Configuration;

public sealed class MedicConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_full_configuration_is_applied()
    {
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            environment: staging
            urls: http://127.0.0.1:9090
            playbooks:
              git: {url: https://git.example/ops/playbooks.git, branch: prod, path: playbooks}
              reload_interval: 1m
            policy:
              default_level: L1
              max_level: L2
              confidence_threshold: 0.8
              approval_timeout: 15m
              kill_switch_file: /run/medic/KILLSWITCH
              levels:
                - {namespace: payments, max: L1}
              windows:
                business-hours: {time_zone: Europe/Berlin, days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00", holidays: [2026-12-24]}
              l2_windows: [business-hours]
              risk:
                actions: {"kubernetes_api_call:rollback": critical}
                max_per_level: {L2: medium}
              blast_radius: {max_actions_per_hour_per_target: 2}
              freezes:
                - {from: 2026-12-20T00:00:00Z, to: 2027-01-02T00:00:00Z, reason: year end}
              roles: {sre-oncall: [alice, bob]}
            """), options);

        Assert.Empty(errors);
        Assert.Equal(("staging", "http://127.0.0.1:9090", "prod"), (options.Policy.Environment, options.Urls, options.Git!.Branch));
        Assert.Equal(TimeSpan.FromMinutes(1), options.PlaybookReloadInterval);
        Assert.Equal((AutomationLevel.L2, 0.8, TimeSpan.FromMinutes(15)), (options.Policy.MaxLevel, options.Policy.ConfidenceThreshold, options.Policy.ApprovalTimeout));
        Assert.Equal(AutomationLevel.L1, options.Policy.Levels.Single().Max);
        Assert.Equal("Europe/Berlin", options.Policy.Windows["business-hours"].TimeZone);
        Assert.Equal(new DateOnly(2026, 12, 24), options.Policy.Windows["business-hours"].Holidays.Single());
        Assert.Equal(Risk.Critical, options.Policy.Risk.Of("kubernetes_api_call", "rollback"));
        Assert.Equal(Risk.Medium, options.Policy.Risk.MaxPerLevel[AutomationLevel.L2]);
        Assert.Equal(2, options.Policy.BlastRadius.MaxActionsPerHourPerTarget);
        Assert.Equal("year end", options.Policy.Freezes.Single().Reason);
        Assert.Equal(["alice", "bob"], options.Policy.Roles["sre-oncall"]);
        Assert.Equal("/run/medic/KILLSWITCH", options.KillSwitchFile);
    }

    [Fact]
    public void Every_mistake_is_named_with_its_field_and_nothing_is_applied()
    {
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            policy:
              max_level: L4
              approval_timeout: soon
              windows:
                office: {time_zone: Europe/Berln, days: [monday, funday], from: "9am"}
              l2_windows: [office, evenings]
            """), options);

        var path = _dir.File("medic.yaml");
        Assert.Equal(
            [
                $"{path}: policy.approval_timeout: 'soon' is not a duration; write e.g. 30s, 5m or 1h",
                $"{path}: policy.l2_windows: no window is named 'evenings'; define it under policy.windows",
                $"{path}: policy.max_level: 'L4' is not an automation level; use L1, L2 or L3",
                $"{path}: policy.windows.office.days: 'funday' is not a day; use mon, tue, wed, thu, fri, sat or sun",
                $"{path}: policy.windows.office.from: '9am' is not a time of day; write HH:mm, e.g. 09:00",
                $"{path}: policy.windows.office.time_zone: 'Europe/Berln' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York",
            ],
            errors.Order());
        Assert.Equal(AutomationLevel.L3, options.Policy.MaxLevel);
    }

    [Fact]
    public void An_unknown_setting_is_an_error_with_its_place()
    {
        var errors = MedicConfig.Apply(Write("policy:\n  dry_rn: true\n"), new MedicOptions());
        Assert.Matches(@"medic\.yaml:2:3: .*dry_rn", errors.Single());
    }

    private string Write(string yaml)
    {
        var path = _dir.File("medic.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
