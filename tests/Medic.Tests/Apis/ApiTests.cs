using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Apis;

/// <summary>The REST API on a real Kestrel server bound to 127.0.0.1 on a free port.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _http = _server.Http;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_reports_ok_with_the_schema_version_and_the_kill_switch()
    {
        var health = await _http.GetFromJsonAsync<JsonObject>("/healthz");
        Assert.Equal("""{"status":"ok","schema_version":5,"killswitch_engaged":false}""", health!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_incident_is_a_404_problem_that_says_where_to_look()
    {
        var response = await _http.GetAsync("/api/v1/incidents/nope");
        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("no incident 'nope'; GET /api/v1/incidents lists them", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/incidents?limit=0")]
    [InlineData("/api/v1/audit?limit=5000")]
    public async Task Out_of_range_limits_are_a_400_problem(string url) =>
        await ProblemAsync(await _http.GetAsync(url), HttpStatusCode.BadRequest);

    [Fact]
    public async Task Unknown_routes_and_malformed_bodies_get_problem_details_too()
    {
        await ProblemAsync(await _http.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await ProblemAsync(await _http.PostAsync("/api/v1/killswitch", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_refused()
    {
        var huge = new StringContent($$"""{"by":"x","note":"{{new string('a', 100_000)}}"}""", Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("/api/v1/incidents/i1/approve", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_kill_switch_needs_a_state_and_a_name_and_is_audited()
    {
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/killswitch", new { by = "sre" }), HttpStatusCode.BadRequest);

        var set = await _http.PostAsJsonAsync("/api/v1/killswitch", new { engaged = true, by = "sre", reason = "change freeze" });
        set.EnsureSuccessStatusCode();
        var state = await _http.GetFromJsonAsync<JsonObject>("/api/v1/killswitch");
        Assert.True(state!["engaged"]!.GetValue<bool>());
        Assert.Equal("sre", state["by"]!.GetValue<string>());
        Assert.True((await _http.GetFromJsonAsync<JsonObject>("/healthz"))!["killswitch_engaged"]!.GetValue<bool>());

        var audit = await _http.GetFromJsonAsync<JsonObject>("/api/v1/audit");
        Assert.Equal("killswitch.engaged", audit!["entries"]![0]!["action"]!.GetValue<string>());
        Assert.True((await _http.GetFromJsonAsync<JsonObject>("/api/v1/audit/verify"))!["intact"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Approving_a_pending_decision_requests_execution_and_a_second_approval_conflicts()
    {
        await PendingDecisionAsync("i1", approvers: []);
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/i1/approve", new { note = "who am I" }), HttpStatusCode.BadRequest);

        var approved = await _http.PostAsJsonAsync("/api/v1/incidents/i1/approve", new { by = "alice", note = "looks right" });
        approved.EnsureSuccessStatusCode();
        var decision = await approved.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("approved", decision!["status"]!.GetValue<string>());
        Assert.Equal("alice", decision["decided_by"]!.GetValue<string>());
        Assert.Equal("L1", decision["level"]!.GetValue<string>());

        var again = await _http.PostAsJsonAsync("/api/v1/incidents/i1/approve", new { by = "bob" });
        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("the decision on incident 'i1' is Approved, not awaiting approval", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_listed_approvers_may_approve()
    {
        await PendingDecisionAsync("i2", approvers: ["sre-oncall"]);
        var problem = await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/i2/approve", new { by = "intern" }), HttpStatusCode.Forbidden);
        Assert.Equal("'intern' may not approve playbook k8s-pod-oom-restart-v1; approvers: sre-oncall", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_escalates_the_incident_with_its_story()
    {
        await PendingDecisionAsync("i3", approvers: []);
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/i3/reject", new { by = "alice" }), HttpStatusCode.BadRequest);

        var rejected = await _http.PostAsJsonAsync("/api/v1/incidents/i3/reject", new { by = "alice", reason = "a restart hides the leak; paging the team" });
        rejected.EnsureSuccessStatusCode();

        var detail = await _http.GetFromJsonAsync<JsonObject>("/api/v1/incidents/i3");
        Assert.Equal("escalated", detail!["incident"]!["state"]!.GetValue<string>());
        Assert.Equal("rejected", detail["decisions"]![0]!["status"]!.GetValue<string>());
        var lines = detail["timeline"]!.AsArray().Select(t => t!["message"]!.GetValue<string>()).ToList();
        Assert.Contains("rejected by alice: a restart hides the leak; paging the team", lines);
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/nope/reject", new { by = "alice", reason = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_playbooks_endpoint_lists_what_was_loaded()
    {
        var list = await _http.GetFromJsonAsync<JsonObject>("/api/v1/playbooks");
        Assert.Equal(3, list!["playbooks"]!.AsArray().Count);
        Assert.Empty(list["errors"]!.AsArray());
    }

    private Task PendingDecisionAsync(string incidentId, IReadOnlyList<string> approvers) => _server.PendingDecisionAsync(incidentId, approvers);

    [Fact]
    public async Task Learning_shows_each_signature_s_posteriors_and_forgets_one_on_request()
    {
        var learner = _server.App.Services.GetRequiredService<Core.Learning.PlaybookLearner>();
        await learner.LearnAsync("oom|core|service", "k8s-pod-oom-restart-v1", Core.Verification.OutcomeKind.Recovered, 0, CancellationToken.None);

        var learning = (await _http.GetFromJsonAsync<JsonObject>("/api/v1/learning"))!;
        var arm = learning["signatures"]!["oom|core|service"]!["k8s-pod-oom-restart-v1"]!;
        Assert.Equal((3.0, 1.0, 0.75, 1), (arm["alpha"]!.GetValue<double>(), arm["beta"]!.GetValue<double>(), arm["expected_success"]!.GetValue<double>(), arm["outcomes"]!.GetValue<int>()));
        Assert.Equal("medium", learning["risk_ceiling"]!.GetValue<string>());
        Assert.Equal(0, learning["logged_decisions"]!.GetValue<int>());
        Assert.Empty(learning["greedy"]!.AsObject());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/v1/learning/oom%7Ccore%7Cservice")).StatusCode);
        Assert.Empty((await _http.GetFromJsonAsync<JsonObject>("/api/v1/learning"))!["signatures"]!.AsObject());
        var missing = await ProblemAsync(await _http.DeleteAsync("/api/v1/learning/oom%7Ccore%7Cservice"), HttpStatusCode.NotFound);
        Assert.Contains("nothing is learnt for 'oom|core|service'", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operators_say_whether_an_incident_was_real_and_each_detector_s_precision_follows()
    {
        var signals = _server.App.Services.GetRequiredService<Core.Storage.ISignalStore>();
        async Task IncidentWith(string id, params string[] models)
        {
            await _server.IncidentAsync(id);
            foreach (var model in models)
            {
                await signals.AddAsync(new Core.Signals.Signal
                {
                    Id = $"{id}-{model}", Source = "metrics", Type = "HighLatency", Entity = new Core.Signals.Entity("service", "cart") { Service = "cart" },
                    Score = 0.9, Confidence = 0.9, ObservedAt = DateTimeOffset.UnixEpoch, Summary = "slow", Model = model,
                }, id, CancellationToken.None);
            }
        }

        await IncidentWith("i-real", "holt_winters", "robust_zscore");
        await IncidentWith("i-noise", "robust_zscore");

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/api/v1/incidents/i-real/feedback", new { verdict = "true_positive", by = "alice" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/api/v1/incidents/i-noise/feedback", new { verdict = "false_positive", by = "alice", note = "a batch job's usual spike" })).StatusCode);
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/i-noise/feedback", new { verdict = "maybe", by = "alice" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/nope/feedback", new { verdict = "false_positive", by = "alice" }), HttpStatusCode.NotFound);

        var detectors = (await _http.GetFromJsonAsync<JsonObject>("/api/v1/learning/detectors"))!["detectors"]!.AsArray();
        Assert.Equal(
            ["holt_winters 1/0 1", "robust_zscore 1/1 0.5"],
            detectors.Select(d => $"{d!["detector"]} {d["true_positives"]}/{d["false_positives"]} {d["precision"]}"));
        var timeline = (await _http.GetFromJsonAsync<JsonObject>("/api/v1/incidents/i-noise"))!["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!["message"]!.GetValue<string>() == "alice: a false alarm: a batch job's usual spike");
    }

    [Fact]
    public async Task Training_fits_the_rca_calibration_on_confirmed_root_causes_validates_it_and_installs_it()
    {
        var incidents = _server.App.Services.GetRequiredService<Core.Storage.IIncidentStore>();
        var now = _server.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-1);
        for (var i = 0; i < 40; i++)
        {
            // The ranker says 95% every time and is right two times in three.
            var at = now.AddMinutes(i);
            await incidents.CreateAsync(
                new Core.Incidents.Incident
                {
                    Id = $"i-{i}", State = Core.Incidents.IncidentState.Resolved, Title = "slow checkout", OpenedAt = at, UpdatedAt = at, LastSignalAt = at,
                    RootCause = new Core.Rca.Hypothesis(new Core.Signals.Entity("service", "cart") { Service = "cart" }, "bad-deploy", 1, 0.95, []),
                },
                CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync($"/api/v1/incidents/i-{i}/feedback", new { verdict = "true_positive", by = "alice", root_cause = i % 3 == 0 ? "payment" : "service/cart" })).StatusCode);
        }

        await _server.App.Services.GetRequiredService<Core.Storage.ISignalStore>().AddAsync(
            new Core.Signals.Signal
            {
                Id = "s-0", Source = "metrics", Type = "HighLatency", Entity = new Core.Signals.Entity("service", "cart") { Service = "cart" },
                Score = 0.9, Confidence = 0.9, ObservedAt = now, Summary = "slow", Model = "robust_zscore",
            },
            "i-0",
            CancellationToken.None);

        await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/incidents/i-0/feedback", new { verdict = "false_positive", by = "alice", root_cause = "cart" }), HttpStatusCode.BadRequest);
        foreach (var since in new[] { "forever", "1e20d", "NaNd", "Infinityd", "400d" })
        {
            var badSince = await ProblemAsync(await _http.PostAsJsonAsync("/api/v1/learning/train", new { since }), HttpStatusCode.BadRequest);
            Assert.Contains($"since '{since}'", badSince["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var none = (await (await _http.PostAsJsonAsync("/api/v1/learning/train", new { since = "1m" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Empty(none["versions"]!.AsArray());
        Assert.Contains(none["notes"]!.AsArray(), n => n!.GetValue<string>().StartsWith("rca calibration: 0 diagnosed real incidents", StringComparison.Ordinal));

        var report = (await (await _http.PostAsJsonAsync("/api/v1/learning/train", new { since = "1d" })).Content.ReadFromJsonAsync<JsonObject>())!;

        var precision = Assert.Single(report["precision"]!.AsArray())!;
        Assert.Equal("robust_zscore 1 0", $"{precision["detector"]} {precision["true_positives"]} {precision["false_positives"]}");
        var version = Assert.Single(report["versions"]!.AsArray())!;
        Assert.Equal("rca_calibration diagnosis 1 train 30 true", $"{version["model"]} {version["key"]} {version["version"]} {version["reason"]} {version["trained_on"]} {version["swapped"]}");
        Assert.True(version["calibration_check"]!["candidate_brier"]!.GetValue<double>() < version["calibration_check"]!["current_brier"]!.GetValue<double>());
        var installed = _server.App.Services.GetRequiredService<Core.Rca.CalibrationInUse>();
        Assert.Equal(1, installed.Version);
        Assert.InRange(installed.Calibration.Apply(0.95), 0.55, 0.8);
        Assert.Single((await _http.GetFromJsonAsync<JsonObject>("/api/v1/learning/models"))!["versions"]!.AsArray());

        // A restart puts the calibration that took over back.
        installed.Install(Core.Rca.ConfidenceCalibration.Identity, 0);
        await _server.App.Services.GetRequiredService<Core.Learning.TrainingJob>().RestoreAsync(CancellationToken.None);
        Assert.Equal(1, installed.Version);
        Assert.InRange(installed.Calibration.Apply(0.95), 0.55, 0.8);
    }

    [Fact]
    public async Task Model_versions_and_shadow_alarms_are_listed()
    {
        var versions = _server.App.Services.GetRequiredService<Core.Storage.IModelVersionStore>();
        await versions.AddAsync(
        [
            new Core.Learning.Drift.ModelVersion
            {
                Model = "isolation_forest", Key = "cart", Version = 2, At = DateTimeOffset.UnixEpoch, Reason = "drift", Drift = new(0.41, 0.3, 1e-9, true),
                TrainedOn = 270, Validation = new(90, 3, 14, 2, 3, 3), Swapped = true,
            },
        ], CancellationToken.None);
        _server.App.Services.GetRequiredService<Core.Learning.Drift.ModelRecords>().Add(new Core.Learning.Drift.ShadowAlarm("isolation_forest", "cart", DateTimeOffset.UnixEpoch));

        var models = (await _http.GetFromJsonAsync<JsonObject>("/api/v1/learning/models"))!;
        var version = Assert.Single(models["versions"]!.AsArray())!;
        Assert.Equal("isolation_forest cart 2 drift true 14 2", $"{version["model"]} {version["key"]} {version["version"]} {version["reason"]} {version["swapped"]} {version["validation"]!["current_false_alarms"]} {version["validation"]!["candidate_false_alarms"]}");
        Assert.Equal(0.41, version["drift"]!["psi"]!.GetValue<double>());
        var alarms = Assert.Single(models["shadow_alarms"]!.AsArray())!;
        Assert.Equal("cart 1", $"{alarms["key"]} {alarms["count"]}");
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }
}
