using Medic.Core.Decisions;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Policy;

public sealed class PolicyEngineTests
{
    // A Tuesday, 10:00 UTC.
    private static readonly DateTimeOffset Tuesday = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly PolicyTarget Cart = new("cart", "shop");
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Theory]
    [InlineData("", 0.99, "L1", DecisionStatus.AwaitingApproval)]
    [InlineData("automation_level: L2", 0.90, "L2", DecisionStatus.Approved)]
    [InlineData("automation_level: L3", 0.90, "L3", DecisionStatus.Approved)]
    [InlineData("automation_level: L2", 0.45, "L1", DecisionStatus.AwaitingApproval)]
    [InlineData("automation_level: L2\nconfidence_threshold: 0.95", 0.90, "L1", DecisionStatus.AwaitingApproval)]
    [InlineData("automation_level: L2\nconfidence_threshold: 0.3", 0.45, "L2", DecisionStatus.Approved)]
    [InlineData("automation_level: L2\ndry_run: true", 0.90, "L2", DecisionStatus.DryRun)]
    public void Level_and_confidence_gate(string safety, double confidence, string level, DecisionStatus status)
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety(safety), confidence: confidence);
        Assert.Equal((level, status), (verdict.Level.ToString(), verdict.Status));
    }

    [Fact]
    public void The_confidence_gate_says_what_it_saw()
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L2"), confidence: 0.45);
        Assert.Contains("held confidence: diagnosis confidence 45% is below the 60% gate: L1", verdict.Reasons);
    }

    public static TheoryData<string, string, string> LevelRules => new()
    {
        { "namespace shop capped at L1", """[{"Namespace":"shop","Max":"L1"}]""", "L1" },
        { "another namespace's cap does not apply", """[{"Namespace":"billing","Max":"L1"}]""", "L3" },
        { "service rule beats namespace rule", """[{"Namespace":"shop","Max":"L1"},{"Namespace":"shop","Service":"cart","Level":"L2"}]""", "L2" },
        { "environment cap", """[{"Environment":"production","Max":"L2"}]""", "L2" },
        { "playbook rule", """[{"Playbook":"p","Level":"L1"}]""", "L1" },
    };

    [Theory]
    [MemberData(nameof(LevelRules))]
    public void Level_rules_override_per_environment_namespace_service_and_playbook(string because, string rules, string expected)
    {
        var levels = System.Text.Json.JsonSerializer.Deserialize<List<LevelRule>>(rules, JsonOptions)!;
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L3"), policy: new PolicyOptions { Levels = levels });
        Assert.True(expected == verdict.Level.ToString(), $"{because}: got {verdict.Level}; {string.Join("; ", verdict.Reasons)}");
    }

    [Fact]
    public void The_global_ceiling_caps_every_playbook()
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L3"), policy: new PolicyOptions { MaxLevel = AutomationLevel.L2 });
        Assert.Equal(AutomationLevel.L2, verdict.Level);
        Assert.Contains("passed level: playbook asks for L3; capped at L2 by policy", verdict.Reasons);
    }

    [Theory]
    [InlineData(true, false, "global kill switch is on (set by sre: game day)")]
    [InlineData(false, true, "kill switch of p is on (set by sre: game day)")]
    public void Kill_switches_block_every_level(bool global, bool playbook, string reason)
    {
        foreach (var level in new[] { "L1", "L2", "L3" })
        {
            var on = new KillSwitchState(true, "sre", "game day", Tuesday);
            var verdict = Evaluate(TestPlaybooks.WithSafety($"automation_level: {level}"), killSwitch: global ? on : null, playbookKillSwitch: playbook ? on : null);
            Assert.Equal(DecisionStatus.Blocked, verdict.Status);
            Assert.Equal($"held kill_switch: {reason}", verdict.Reasons.Single());
        }
    }

    [Theory]
    [InlineData("2026-11-20T00:00:00Z", "2026-11-30T00:00:00Z", null, "L1")]
    [InlineData("2026-11-20T00:00:00Z", "2026-11-30T00:00:00Z", "billing", "L3")]
    [InlineData("2026-11-25T00:00:00Z", "2026-11-30T00:00:00Z", null, "L3")]
    [InlineData("2026-11-20T00:00:00Z", "2026-11-24T10:00:00Z", null, "L3")]
    public void A_change_freeze_stops_automatic_action_in_its_scope_and_time(string from, string to, string? ns, string expected)
    {
        var freeze = new ChangeFreeze { From = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), To = DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), Namespace = ns, Reason = "release week" };
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L3"), policy: new PolicyOptions { Freezes = [freeze] });
        Assert.Equal(expected, verdict.Level.ToString());
    }

    [Theory]
    [InlineData("rollout_restart", "automation_level: L3", "L3", false)]
    [InlineData("rollback", "automation_level: L3", "L2", false)]
    [InlineData("drain", "automation_level: L3", "L2", false)]
    [InlineData("get", "automation_level: L3\nrisk: critical", "L1", true)]
    [InlineData("get", "two_person_approval: true", "L1", true)]
    public void Risk_lowers_the_level_and_critical_risk_needs_two_people(string verb, string safety, string level, bool twoPeople)
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety(safety, verb));
        Assert.Equal(level, verdict.Level.ToString());
        Assert.Equal(twoPeople ? 2 : level == "L1" ? 1 : 0, verdict.ApprovalsRequired);
    }

    public static TheoryData<string, PolicyActivity, string> Activity => new()
    {
        { "nothing going on", new PolicyActivity(), "L3" },
        { "a run in flight on the service", new PolicyActivity { RunningOnService = 1 }, "L1" },
        { "three runs in flight in the namespace", new PolicyActivity { RunningInNamespace = 3 }, "L1" },
        { "five runs in flight in the cluster", new PolicyActivity { RunningInCluster = 5 }, "L1" },
        { "another cluster acting", new PolicyActivity { OtherClustersActive = ["eu-west"] }, "L1" },
        { "three runs on the target this hour", new PolicyActivity { LastHourOnTarget = 3 }, "L1" },
        { "two runs on the target this hour", new PolicyActivity { LastHourOnTarget = 2 }, "L3" },
        { "twenty runs this hour", new PolicyActivity { LastHourGlobal = 20 }, "L1" },
    };

    [Theory]
    [MemberData(nameof(Activity))]
    public void Blast_radius_limits_hand_the_decision_to_a_person(string because, PolicyActivity activity, string expected)
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L3"), activity: activity);
        Assert.True(expected == verdict.Level.ToString(), $"{because}: {string.Join("; ", verdict.Reasons)}");
    }

    [Fact]
    public void A_playbooks_own_limits_tighten_the_policy()
    {
        var playbook = TestPlaybooks.WithSafety("automation_level: L3\nblast_radius: {max_actions_per_hour: 1}");
        Assert.Equal(AutomationLevel.L1, Evaluate(playbook, activity: new PolicyActivity { PlaybookLastHour = 1 }).Level);
        Assert.Equal(AutomationLevel.L3, Evaluate(playbook, activity: new PolicyActivity()).Level);
    }

    [Theory]
    [InlineData("3", 4, "L3")]
    [InlineData("2", 4, "L3")]
    [InlineData("1", 4, "L1")]
    public void A_scale_down_may_not_take_more_than_the_allowed_share_of_replicas(string to, int replicas, string expected)
    {
        var playbook = TestPlaybooks.WithSafety("automation_level: L3", "scale", to);
        var verdict = Evaluate(playbook, replicas: replicas);
        Assert.Equal(expected, verdict.Level.ToString());
    }

    [Fact]
    public void L2_outside_its_windows_waits_for_a_person_and_says_which_windows()
    {
        var policy = new PolicyOptions
        {
            Windows = new Dictionary<string, AllowedWindow> { ["business-hours"] = new() { TimeZone = "Europe/Berlin" } },
            L2Windows = ["business-hours"],
        };
        var playbook = TestPlaybooks.WithSafety("automation_level: L2");
        Assert.Equal(AutomationLevel.L2, Evaluate(playbook, policy: policy, at: Tuesday).Level);
        var night = Evaluate(playbook, policy: policy, at: Tuesday.AddHours(12));
        Assert.Equal(AutomationLevel.L1, night.Level);
        Assert.Contains("held window: outside the allowed windows (business-hours: Mon,Tue,Wed,Thu,Fri 09:00-18:00 Europe/Berlin): L1", night.Reasons);
    }

    [Fact]
    public void Approvers_name_people_and_roles_and_the_requester_is_noted()
    {
        var policy = new PolicyOptions { Roles = new Dictionary<string, IReadOnlyList<string>> { ["sre-oncall"] = ["alice", "bob"] } };
        var verdict = Evaluate(TestPlaybooks.WithSafety("approvers: [sre-oncall, carol]"), policy: policy, requestedBy: "dave");
        Assert.Equal(["alice", "bob", "carol"], verdict.Approvers);
        Assert.Contains("held approval: one person must approve (alice, bob, carol), not the requester dave", verdict.Reasons);
    }

    [Fact]
    public void Every_rail_is_recorded_in_order()
    {
        var verdict = Evaluate(TestPlaybooks.WithSafety("automation_level: L2"));
        Assert.Equal(["kill_switch", "level", "freeze", "window", "confidence", "risk", "blast_radius", "approval"], verdict.Gates.Select(g => g.Rail));
    }

    private static PolicyVerdict Evaluate(
        Playbook playbook,
        double confidence = 0.9,
        PolicyOptions? policy = null,
        KillSwitchState? killSwitch = null,
        KillSwitchState? playbookKillSwitch = null,
        PolicyActivity? activity = null,
        int? replicas = null,
        string? requestedBy = null,
        DateTimeOffset? at = null)
    {
        var engine = new PolicyEngine(policy ?? new PolicyOptions(), new FakeTimeProvider(at ?? Tuesday));
        var steps = PlaybookPreview.Of(playbook, new Dictionary<string, object?> { ["anomaly"] = new Dictionary<string, object?> { ["type"] = "x" } });
        return engine.Evaluate(new PolicyInput(playbook, Cart, confidence, killSwitch ?? KillSwitchState.Off, playbookKillSwitch ?? KillSwitchState.Off, activity ?? new PolicyActivity())
        {
            Replicas = replicas,
            RequestedBy = requestedBy,
            StepParams = steps.ToDictionary(s => s.Name, s => s.Rendered),
        });
    }
}
