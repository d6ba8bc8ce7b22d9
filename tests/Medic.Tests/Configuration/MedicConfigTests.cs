using Medic.Core.Detection.Streaming;
using Medic.Core.Telemetry;
using Medic.Core.Detection;
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
    public void Users_and_tokens_are_read_with_hashes_only_and_every_mistake_is_named()
    {
        var hash = Medic.Web.Auth.Passwords.Hash("s3cret", iterations: 1_000);
        var sha = Medic.Web.Auth.Passwords.TokenSha256("token");
        var options = new MedicOptions();

        var errors = MedicConfig.Apply(Write($$"""
            auth:
              users: [{name: alice, password_hash: "{{hash}}", role: admin}]
              tokens: [{name: prometheus, sha256: {{sha}}, role: viewer}]
              session_timeout: 8h
            """), options);

        Assert.Empty(errors);
        Assert.True(options.Auth.Enabled);
        Assert.Equal(new Medic.Web.Auth.LocalUser("alice", hash, Medic.Web.Auth.Role.Admin), Assert.Single(options.Auth.Users));
        Assert.Equal(("prometheus", Medic.Web.Auth.Role.Viewer), (options.Auth.Tokens[0].Name, options.Auth.Tokens[0].Role));
        Assert.Equal(TimeSpan.FromHours(8), options.Auth.SessionTimeout);

        var sso = new MedicOptions();
        Assert.Empty(MedicConfig.Apply(Write("""
            auth:
              oidc: {authority: "https://login.example.com/realms/ops", client_id: medic, roles: {sre: operator, "*": viewer}}
            """), sso));
        Assert.Equal(("https://login.example.com/realms/ops", "groups", Medic.Web.Auth.Role.Viewer), (sso.Auth.Oidc!.Authority, sso.Auth.Oidc.RoleClaim, sso.Auth.Oidc.Roles["*"]));
        Assert.Contains(MedicConfig.Apply(Write("auth: {oidc: {authority: \"https://login.example.com\", client_id: medic}}\n"), new MedicOptions()),
            e => e.Contains("auth.oidc.roles: maps no claim value to a role", StringComparison.Ordinal));

        var bad = MedicConfig.Apply(Write("""
            auth:
              users: [{name: bob, password_hash: hunter2, role: admin}, {name: carol, password_hash: "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", role: root}]
              tokens: [{name: bob, sha256: abc, role: viewer}]
            """), new MedicOptions());

        Assert.Contains(bad, e => e.EndsWith("auth.users[0].password_hash: is not a password hash; make one with `medic auth hash-password` (never write the password itself)", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("auth.users[1].role: 'root' is not a role; use viewer, operator or admin", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("auth.tokens[0].sha256: is not a SHA-256 in hex", StringComparison.Ordinal));
    }

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
    public void Ingest_limits_and_the_series_store_are_set_and_checked()
    {
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            ingest: {otlp_grpc: "", max_body_bytes: 1048576, max_requests_per_second: 50, max_labels_per_series: 32}
            series: {retention: 2h, max_series: 10000, max_series_per_source: 2500}
            """), options);

        Assert.Empty(errors);
        Assert.Equal(("", 1_048_576, 50, 32), (options.OtlpGrpcUrl, options.Ingest.MaxBodyBytes, options.Ingest.MaxRequestsPerSecond, options.Ingest.MaxLabelsPerSeries));
        Assert.Equal((TimeSpan.FromHours(2), 10_000, 2_500), (options.Series.Retention, options.Series.MaxSeries, options.Series.MaxSeriesPerSource));

        var bad = MedicConfig.Apply(Write("series: {retention: 0s, max_series: -1}\ningest: {max_body_bytes: 0}\n"), new MedicOptions());
        Assert.Contains(bad, e => e.EndsWith("series.retention: must be longer than zero, e.g. 6h", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("series.max_series: -1 must be a positive number", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("ingest.max_body_bytes: 0 must be a positive number", StringComparison.Ordinal));
    }

    [Fact]
    public void Correlation_grouping_is_set_and_checked()
    {
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            correlation: {window: 10m, group_wait: 45s, group_interval: 1m, group_by: [cluster], match_labels: [instance, trace_id], symptom_depth: 2, settle_window: 5m}
            """), options);

        Assert.Empty(errors);
        var c = options.Correlation;
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), 2), (c.Window, c.GroupWait, c.GroupInterval, c.SettleWindow, c.SymptomDepth));
        Assert.Equal(["cluster"], c.GroupBy);
        Assert.Equal(["instance", "trace_id"], c.MatchLabels);

        var bad = MedicConfig.Apply(Write("correlation: {window: 0s, group_by: [\"my label\"], symptom_depth: 11, group_wait: soon}\n"), new MedicOptions());
        Assert.Contains(bad, e => e.EndsWith("correlation.window: must be longer than zero", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("correlation.group_by: 'my label' is not a label name (letters, digits and _, not starting with a digit)", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("correlation.symptom_depth: 11 is out of range; write 0 (no inhibition along calls) to 10", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("correlation.group_wait: 'soon' is not a duration; write e.g. 30s, 5m or 1h", StringComparison.Ordinal));
    }

    [Fact]
    public void Metric_groups_select_series_and_set_their_model_season_and_sensitivity()
    {
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            detection:
              groups:
                - {name: latency, select: 'http_server_duration:p99{namespace="shop"}', period: 288, sensitivity: 5, min_duration: 2}
                - {name: batch, select: '{job=~"batch-.*"}', model: none, period: auto}
                - {name: queue, select: queue_depth, model: arima, period: 24, order: [2, 1, 1]}
              multivariate: {metrics: [http_requests:rate, http_server_duration:p99, container_memory_working_set_bytes], threshold: 0.75}
            """), options);

        Assert.Empty(errors);
        var (latency, batch) = (options.Detection.Groups[0], options.Detection.Groups[1]);
        Assert.Equal((DetectionModel.HoltWinters, 288, 5.0, 2), (latency.Model, latency.Streaming.Period, latency.Streaming.Sensitivity, latency.Streaming.MinimumDuration));
        Assert.True(latency.Matches(SeriesKey.Of("http_server_duration:p99", "namespace", "shop", "service", "cart")));
        Assert.False(latency.Matches(SeriesKey.Of("http_server_duration:p99", "namespace", "payments")));
        Assert.Equal(DetectionModel.None, batch.Model);
        Assert.True(batch.AutoPeriod);
        Assert.False(latency.AutoPeriod);
        Assert.Equal(new ArimaOrder(2, 1, 1, 1, 24), options.Detection.Groups[2].ArimaOrder);
        Assert.Equal((3, 0.75), (options.Detection.Multivariate!.Metrics.Count, options.Detection.Multivariate.Threshold));

        var bad = MedicConfig.Apply(Write("""
            detection:
              groups:
                - {select: 'x{a="1"', model: prophet, period: 0, sensitivity: -1, order: [1, 3]}
              multivariate: {metrics: [only_one]}
            """), new MedicOptions());
        Assert.Contains(bad, e => e.Contains("detection.groups[0].select: selector 'x{a=\"1\"'", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.EndsWith("detection.groups[0].model: 'prophet' is not a model; use holt_winters, arima, robust_zscore, none", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("detection.groups[0].period: 0 is too small", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("detection.groups[0].sensitivity: must be above 0", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("detection.groups[0].order: is [p, d, q]", StringComparison.Ordinal));
        Assert.Contains(bad, e => e.Contains("detection.multivariate.metrics: needs two or more different metric names", StringComparison.Ordinal));
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

    [Fact]
    public void Actions_notifiers_and_the_cluster_are_configured_with_secrets_from_the_environment()
    {
        Environment.SetEnvironmentVariable("MEDIC_TEST_SLACK_SECRET", "sl4ck");
        Environment.SetEnvironmentVariable("MEDIC_TEST_PD_KEY", "pd-key");
        var options = new MedicOptions();
        var errors = MedicConfig.Apply(Write("""
            kubernetes: {kubeconfig: /etc/medic/kubeconfig, context: prod}
            actions:
              http: {allow: [hooks.example.com, 10.0.0.0/8], secrets: {deploy-hook: env:MEDIC_TEST_SLACK_SECRET}}
              shell: {allow: [/usr/bin/systemctl], env_allow: [PATH], working_dir: /var/lib/medic, max_output_bytes: 1024}
              ansible: {directory: /etc/medic/ansible}
              resilience: {max_concurrent_per_target: 2, break_duration: 30s}
            notifiers:
              slack: {token: xoxb-1, channel: C0SRE, signing_secret: env:MEDIC_TEST_SLACK_SECRET}
              pagerduty: {routing_key: env:MEDIC_TEST_PD_KEY}
              webhooks:
                - {name: oncall, url: https://hooks.example.com/page, secret: env:MEDIC_TEST_SLACK_SECRET}
            """), options);

        Assert.Empty(errors);
        Assert.Equal(("/etc/medic/kubeconfig", "prod"), (options.Kubernetes.Kubeconfig, options.Kubernetes.Context));
        Assert.Equal(["hooks.example.com", "10.0.0.0/8"], options.Http.Allow);
        Assert.Equal("sl4ck", options.Http.Secrets["deploy-hook"]);
        Assert.Equal(["/usr/bin/systemctl"], options.Shell.Allow);
        Assert.Equal(["PATH"], options.Shell.EnvironmentAllow);
        Assert.Equal(("/var/lib/medic", 1024), (options.Shell.WorkingDirectory, options.Shell.MaxOutputBytes));
        Assert.Equal("/etc/medic/ansible", options.Ansible.Directory);
        Assert.Equal((2, TimeSpan.FromSeconds(30)), (options.Resilience.MaxConcurrentPerTarget, options.Resilience.BreakDuration));
        Assert.Equal(("xoxb-1", "C0SRE", "sl4ck"), (options.Slack!.Token, options.Slack.Channel, options.Slack.SigningSecret));
        Assert.Equal("pd-key", options.PagerDuty!.RoutingKey);
        Assert.Equal(("oncall", "sl4ck"), (options.Webhooks.Single().Name, options.Webhooks.Single().Secret));
    }

    [Fact]
    public void Mistakes_in_actions_and_notifiers_are_each_reported()
    {
        var errors = MedicConfig.Apply(Write("""
            actions:
              shell: {allow: [systemctl]}
            notifiers:
              slack: {channel: C0SRE}
              pagerduty: {routing_key: env:MEDIC_TEST_UNSET_VARIABLE}
              webhooks:
                - {name: slack, url: https://hooks.example.com/x}
                - {name: oncall, url: ftp://example.com/x}
            """), new MedicOptions());

        var path = _dir.File("medic.yaml");
        Assert.Equal(
            [
                $"{path}: actions.shell.allow: 'systemctl' is not an absolute path; list programs by full path (e.g. /usr/bin/systemctl) so PATH cannot change what runs",
                $"{path}: notifiers.slack: set webhook_url (an incoming webhook) or token (a bot token, for approval buttons)",
                $"{path}: notifiers.pagerduty.routing_key: the environment variable MEDIC_TEST_UNSET_VARIABLE is not set; export it before starting Medic",
                $"{path}: notifiers.webhooks[0].name: 'slack' is missing, taken by a built-in channel (log, slack, pagerduty) or used twice; playbooks name the channel by it",
                $"{path}: notifiers.webhooks[1].url: 'ftp://example.com/x' is not an http(s) URL",
            ],
            errors);
    }

    private string Write(string yaml)
    {
        var path = _dir.File("medic.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
