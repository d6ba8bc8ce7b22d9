using Medic.Core.Changes;
using Medic.Core.Events;
using Medic.Core.Telemetry;
using Medic.Core.Workflows.Kubernetes;
using Medic.Sim.Clock;
using Medic.Sim.Estate;
using Medic.Sim.Faults;
using Medic.Testing;

namespace Medic.Sim.Tests;

public sealed class SimulatorTests
{
    [Fact]
    public async Task The_same_seed_gives_the_same_telemetry()
    {
        var (a, busA) = Create(seed: 42);
        var (b, busB) = Create(seed: 42);
        for (var i = 0; i < 20; i++)
        {
            await a.StepAsync(CancellationToken.None);
            await b.StepAsync(CancellationToken.None);
        }

        Assert.Equal(Values(busA), Values(busB));
    }

    [Fact]
    public async Task Every_scrape_has_red_metrics_per_service_and_use_metrics_per_pod_and_node()
    {
        var (sim, bus) = Create();
        await sim.StepAsync(CancellationToken.None);
        var names = bus.Messages.OfType<SampleBatch>().Single().Samples.Select(s => s.Series.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "service_request_rate", "service_latency_p99_seconds", "service_error_ratio", "service_client_request_rate",
                "container_cpu_usage_cores", "container_memory_working_set_bytes", "node_cpu_utilization", "node_memory_utilization",
            },
            names);
    }

    [Fact]
    public async Task A_memory_leak_ends_in_repeated_OOM_kills_until_the_pods_are_replaced()
    {
        var (sim, bus) = Create();
        var fault = sim.Inject(FaultKinds.MemoryLeak);
        await Steps(sim, 90);
        var kills = bus.Messages.OfType<KubernetesEvent>().Where(e => e.Reason == "OOMKilled").ToList();

        Assert.True(kills.Count >= 2, $"{kills.Count} OOM kills");
        Assert.All(kills, k => Assert.Equal(fault.Truth.Name, k.Service));

        await RestartAsync(sim, fault.Truth.Name);
        bus.Clear();
        await Steps(sim, 90);
        Assert.DoesNotContain(bus.Messages.OfType<KubernetesEvent>(), e => e.Reason == "OOMKilled");
    }

    [Fact]
    public async Task A_bad_deploy_is_announced_and_raises_the_errors_of_the_service_and_its_callers()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var fault = sim.Inject(FaultKinds.BadDeploy);
        await Steps(sim, 3);

        var deploy = bus.Messages.OfType<ChangeEvent>().Single();
        Assert.Equal((ChangeKinds.Deploy, fault.Truth.Name), (deploy.Kind, deploy.Service));
        var errors = Latest(bus, "service_error_ratio");
        Assert.True(errors[fault.Truth.Name] > 0.15, $"errors {errors[fault.Truth.Name]}");
        Assert.True(errors["frontend"] > 0.1, $"frontend errors {errors["frontend"]}");
        Assert.True(errors["postgres"] < 0.01);
    }

    [Fact]
    public async Task A_bad_config_change_is_announced_slows_the_service_and_its_callers_and_a_rollback_undoes_it()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = Latest(bus, "service_latency_p99_seconds");
        var fault = sim.Inject(FaultKinds.BadConfig);
        await Steps(sim, 3);

        var change = bus.Messages.OfType<ChangeEvent>().Single();
        Assert.Equal((ChangeKinds.Config, fault.Truth.Name, "ops/config-sync"), (change.Kind, change.Service, change.Actor));
        var during = Latest(bus, "service_latency_p99_seconds");
        Assert.True(during[fault.Truth.Name] > 3 * before[fault.Truth.Name], $"{fault.Truth.Name}: {before[fault.Truth.Name]} → {during[fault.Truth.Name]}");
        Assert.True(during["frontend"] > 1.1 * before["frontend"], $"frontend: {before["frontend"]} → {during["frontend"]}");

        var rollback = await new Medic.Core.Workflows.Kubernetes.KubernetesCallProvider(sim.Cluster).ExecuteAsync(
            new Medic.Core.Workflows.ActionRequest("run", "rollback", "run:rollback:1", new Dictionary<string, object?> { ["verb"] = "rollback", ["resource"] = "deployment", ["name"] = fault.Truth.Name, ["namespace"] = "shop" }) { RequestedAt = sim.Clock.GetUtcNow() },
            CancellationToken.None);
        Assert.True(rollback.Succeeded, rollback.Error);
        await Steps(sim, 6);

        Assert.True(Latest(bus, "service_latency_p99_seconds")[fault.Truth.Name] < 1.5 * before[fault.Truth.Name]);
        Assert.Equal(ChangeKinds.Rollback, bus.Messages.OfType<ChangeEvent>().Last().Kind);
    }

    [Fact]
    public async Task A_lock_in_the_database_slows_it_and_everything_that_waits_on_it_until_its_sessions_end()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = Latest(bus, "service_latency_p99_seconds");
        var fault = sim.Inject(FaultKinds.DatabaseLock);
        await Steps(sim, 3);

        Assert.Equal("postgres", fault.Truth.Name);
        var during = Latest(bus, "service_latency_p99_seconds");
        Assert.True(during["postgres"] > 5 * before["postgres"], $"postgres: {before["postgres"]} → {during["postgres"]}");
        Assert.All(["checkout", "catalog", "frontend"], caller => Assert.True(during[caller] > before[caller], caller));
        Assert.Empty(bus.Messages.OfType<ChangeEvent>());

        var ended = await Sim(sim, new() { ["verb"] = "end_blocking_queries", ["service"] = "postgres" });
        await Steps(sim, 3);

        Assert.True(ended.Succeeded && ended.Output!["ended"]!.GetValue<bool>(), ended.Error);
        Assert.True(Latest(bus, "service_latency_p99_seconds")["postgres"] < 1.5 * before["postgres"]);
    }

    [Fact]
    public async Task A_third_party_outage_fails_its_caller_and_callers_above_nothing_in_the_estate_fixes_it_and_it_ends_by_itself()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var fault = sim.Inject(FaultKinds.DependencyOutage);
        await Steps(sim, 3);

        Assert.Equal((Medic.Core.Signals.EntityKinds.Dependency, "payment-provider"), (fault.Truth.Kind, fault.Truth.Name));
        var errors = Latest(bus, "service_error_ratio");
        Assert.True(errors["payment"] > 0.4, $"payment errors {errors["payment"]}");
        Assert.True(errors["checkout"] > 0.3, $"checkout errors {errors["checkout"]}");
        Assert.True(ClientErrors(bus, "payment", "payment-provider") > 0.4, "payment's client sees the third party fail");

        await RestartAsync(sim, "payment");
        await Steps(sim, 6);
        Assert.True(Latest(bus, "service_error_ratio")["payment"] > 0.4, "a restart does not fix a third party");

        await Steps(sim, (int)(Simulator.DependencyOutageLength / new SimulatorOptions().ScrapeInterval) + 1);
        Assert.True(Latest(bus, "service_error_ratio")["payment"] < 0.05);
        Assert.True(ClientErrors(bus, "payment", "payment-provider") < 0.01);
    }

    private static double ClientErrors(RecordingBus bus, string service, string peer) =>
        bus.Messages.OfType<SampleBatch>().Last().Samples.Single(s => s.Series.Name == "service_client_error_ratio" && s.Series["service"] == service && s.Series["peer_service"] == peer).Value;

    [Fact]
    public async Task An_expired_certificate_fails_every_call_to_the_service_a_restart_does_not_help_a_new_certificate_does()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var fault = sim.Inject(FaultKinds.CertificateExpiry);
        await Steps(sim, 3);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] > 0.99);

        await RestartAsync(sim, fault.Truth.Name);
        await Steps(sim, 6);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] > 0.99, "a restart keeps the expired certificate");

        var renewed = await Sim(sim, new() { ["verb"] = "renew_certificate", ["service"] = fault.Truth.Name });
        await Steps(sim, 3);
        Assert.True(renewed.Output!["was_expired"]!.GetValue<bool>());
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] < 0.05);
    }

    [Fact]
    public async Task A_leaking_connection_pool_runs_dry_after_five_minutes_and_replacing_the_pods_fixes_it()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = Latest(bus, "service_latency_p99_seconds");
        var fault = sim.Inject(FaultKinds.ConnectionPoolExhaustion);
        await Steps(sim, 20);
        Assert.True(Latest(bus, "service_latency_p99_seconds")[fault.Truth.Name] < 1.5 * before[fault.Truth.Name], "the pool still has connections");

        await Steps(sim, 40);
        Assert.True(Latest(bus, "service_latency_p99_seconds")[fault.Truth.Name] > 3 * before[fault.Truth.Name]);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] > 0.05);
        Assert.Contains(sim.Estate.Calls, c => c.From == fault.Truth.Name && sim.Estate.Service(c.To).Stateful);

        await RestartAsync(sim, fault.Truth.Name);
        await Steps(sim, 6);
        Assert.True(Latest(bus, "service_latency_p99_seconds")[fault.Truth.Name] < 1.5 * before[fault.Truth.Name]);
    }

    [Fact]
    public async Task A_filling_volume_is_seen_rising_then_fails_writes_until_space_is_freed()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var fault = sim.Inject(FaultKinds.DiskFull);
        await Steps(sim, 60);
        Assert.InRange(Latest(bus, "volume_usage_ratio")[fault.Truth.Name], 0.65, 0.80);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] < 0.05);

        await Steps(sim, 80);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] > 0.35);

        var freed = await Sim(sim, new() { ["verb"] = "free_disk", ["service"] = fault.Truth.Name });
        await Steps(sim, 3);
        Assert.True(freed.Output!["was_filling"]!.GetValue<bool>());
        Assert.True(Latest(bus, "volume_usage_ratio")[fault.Truth.Name] < 0.5);
        Assert.True(Latest(bus, "service_error_ratio")[fault.Truth.Name] < 0.05);
    }

    [Fact]
    public async Task A_hung_cache_misses_everything_its_callers_load_the_database_and_replacing_its_pod_fixes_it()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = (Rate: Latest(bus, "service_request_rate"), Latency: Latest(bus, "service_latency_p99_seconds"));
        var fault = sim.Inject(FaultKinds.CacheFailure);
        await Steps(sim, 3);

        Assert.Equal("redis", fault.Truth.Name);
        Assert.Equal(0, Latest(bus, "cache_hit_ratio")["redis"]);
        Assert.True(Latest(bus, "service_request_rate")["postgres"] > 1.5 * before.Rate["postgres"], "the database takes the cache's lookups");
        Assert.True(Latest(bus, "service_latency_p99_seconds")["cart"] > before.Latency["cart"]);
        Assert.True(Latest(bus, "service_error_ratio")["cart"] < 0.05, "the callers fall back, they do not fail");

        var pod = sim.Cluster.Pods().Single(p => p.Service == "redis").Name;
        await sim.Cluster.DeleteAsync("Pod", "shop", pod, CancellationToken.None);
        await Steps(sim, 2);
        Assert.Equal(0, Latest(bus, "cache_hit_ratio")["redis"]); // The new pod starts from cold.
        await Steps(sim, 2);
        Assert.True(Latest(bus, "cache_hit_ratio")["redis"] > 0.85);
        Assert.True(Latest(bus, "service_request_rate")["postgres"] < 1.3 * before.Rate["postgres"]);
    }

    [Fact]
    public async Task A_retry_storm_outlives_the_slowdown_that_started_it_scaling_does_not_end_it_turning_retries_off_does()
    {
        // In the afternoon's traffic: at night the retries alone do not overload the service.
        var (sim, bus) = Create(start: new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero));
        await Steps(sim, 30);
        var before = (Rate: Latest(bus, "service_request_rate"), Latency: Latest(bus, "service_latency_p99_seconds"));
        var fault = sim.Inject(FaultKinds.RetryStorm);
        await Steps(sim, (int)(Simulator.RetryStormTrigger / new SimulatorOptions().ScrapeInterval) + 10);

        var service = fault.Truth.Name;
        Assert.True(Latest(bus, "service_request_rate")[service] > 2 * before.Rate[service], "the callers retry");
        Assert.True(Latest(bus, "service_latency_p99_seconds")[service] > 2 * before.Latency[service], "the storm outlives the slowdown");

        var scaled = await new Medic.Core.Workflows.Kubernetes.KubernetesCallProvider(sim.Cluster).ExecuteAsync(
            new Medic.Core.Workflows.ActionRequest("run", "scale", "run:scale:1", new Dictionary<string, object?> { ["verb"] = "scale", ["resource"] = "deployment", ["name"] = service, ["namespace"] = "shop", ["replicas"] = "8" }) { RequestedAt = sim.Clock.GetUtcNow() },
            CancellationToken.None);
        Assert.True(scaled.Succeeded, scaled.Error);
        await Steps(sim, 30);
        Assert.True(Latest(bus, "service_request_rate")[service] > 2 * before.Rate[service], "the retries now overload the database behind it");

        var disabled = await Sim(sim, new() { ["verb"] = "disable_retries", ["service"] = service });
        await Steps(sim, 30);
        Assert.True(disabled.Output!["were_retrying"]!.GetValue<bool>());
        Assert.True(Latest(bus, "service_latency_p99_seconds")[service] < 1.5 * before.Latency[service]);
        Assert.True(Latest(bus, "service_request_rate")[service] < 1.3 * before.Rate[service]);
    }

    [Fact]
    public async Task Packet_loss_between_zones_fails_and_slows_the_calls_that_cross_and_heals_after_an_hour()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = (Errors: Latest(bus, "service_error_ratio"), Latency: Latest(bus, "service_latency_p99_seconds"));
        var fault = sim.Inject(FaultKinds.PacketLoss);
        await Steps(sim, 3);

        Assert.Equal((Medic.Core.Signals.EntityKinds.Network, "zone-a~zone-b"), (fault.Truth.Kind, fault.Truth.Name));
        Assert.True(Latest(bus, "service_error_ratio")["frontend"] > before.Errors["frontend"] + 0.03, "frontend calls cross zones");
        Assert.True(Latest(bus, "service_latency_p99_seconds")["frontend"] > before.Latency["frontend"] + 0.03);

        await Steps(sim, (int)(Simulator.PacketLossLength / new SimulatorOptions().ScrapeInterval) + 1);
        Assert.True(Latest(bus, "service_error_ratio")["frontend"] < before.Errors["frontend"] + 0.01);
    }

    [Fact]
    public async Task A_normal_day_has_harmless_deploys_config_changes_and_traffic_spikes_when_asked_and_none_otherwise()
    {
        var bus = new RecordingBus();
        var sim = new Simulator(DefaultEstate.Create(), new SimulationClock(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero)), bus, new SimulatorOptions { Seed = 4, HarmlessChangesPerDay = 864, TrafficSpikesPerDay = 8640 });
        await Steps(sim, 103);

        var changes = bus.Messages.OfType<ChangeEvent>().ToList();
        Assert.InRange(changes.Count, 3, 30);
        Assert.Contains(changes, c => c.Kind == ChangeKinds.Deploy);
        Assert.Contains(changes, c => c.Kind == ChangeKinds.Config);
        Assert.True(Latest(bus, "service_error_ratio").Values.Max() < 0.2, "good versions fail nothing beyond a rollout's restarts");

        var (plain, plainBus) = Create(seed: 4, start: new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero));
        await Steps(plain, 103);
        Assert.Empty(plainBus.Messages.OfType<ChangeEvent>());
        Assert.True(Latest(bus, "service_request_rate")["frontend"] > 1.2 * Latest(plainBus, "service_request_rate")["frontend"], "a spike is on");
    }

    [Fact]
    public async Task A_noisy_neighbour_saturates_its_node_and_slows_the_services_on_it_until_they_move()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var before = Latest(bus, "service_latency_p99_seconds");
        var fault = sim.Inject(FaultKinds.NoisyNeighbour);
        await Steps(sim, 3);

        Assert.True(Latest(bus, "node_cpu_utilization")[fault.Truth.Name] > 0.95);
        var victims = sim.Cluster.Pods().Where(p => p.Node == fault.Truth.Name).Select(p => p.Service).Distinct().ToList();
        Assert.All(victims, v => Assert.True(Latest(bus, "service_latency_p99_seconds")[v] > 2 * before[v], v));

        foreach (var pod in sim.Cluster.Pods().Where(p => p.Node == fault.Truth.Name))
        {
            await sim.Cluster.PatchAsync("Node", null, fault.Truth.Name, new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["unschedulable"] = true } }, PatchType.StrategicMerge, CancellationToken.None);
            await sim.Cluster.EvictAsync("shop", pod.Name, CancellationToken.None);
        }

        await Steps(sim, 3);
        Assert.All(victims, v => Assert.True(Latest(bus, "service_latency_p99_seconds")[v] < 1.5 * before[v], v));
    }

    private static Task<Medic.Core.Workflows.ActionResult> Sim(Simulator sim, Dictionary<string, object?> parameters) =>
        new Medic.Sim.Actions.SimActionProvider(sim).ExecuteAsync(new Medic.Core.Workflows.ActionRequest("run", "sim", "run:sim:1", parameters), CancellationToken.None);

    [Fact]
    public async Task Deleting_every_pod_of_a_service_at_once_is_an_outage_until_they_have_started_one_at_a_time_is_not()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var normal = Latest(bus, "service_error_ratio")["checkout"];

        var pods = sim.Cluster.Pods().Where(p => p.Service == "checkout").Select(p => p.Name).ToList();
        Assert.True(pods.Count >= 2);
        await sim.Cluster.DeleteAsync("Pod", "shop", pods[0], CancellationToken.None);
        await Steps(sim, 1);
        Assert.True(Latest(bus, "service_error_ratio")["checkout"] < 0.2, "the other replicas serve while one starts");
        Assert.True(Latest(bus, "service_latency_p99_seconds")["checkout"] < 5);
        await Steps(sim, 3);

        foreach (var pod in sim.Cluster.Pods().Where(p => p.Service == "checkout").Select(p => p.Name).ToList())
        {
            await sim.Cluster.DeleteAsync("Pod", "shop", pod, CancellationToken.None);
        }

        await Steps(sim, 1);
        Assert.True(Latest(bus, "service_latency_p99_seconds")["checkout"] >= 30, "no replica is up: every request waits for its timeout");
        Assert.True(Latest(bus, "service_error_ratio")["frontend"] > 0.2, "and its callers fail");
        await Steps(sim, 3);
        Assert.True(Latest(bus, "service_error_ratio")["checkout"] < normal + 0.02, "up again once they have started");
    }

    [Fact]
    public async Task Restarting_the_database_during_a_partition_leaves_it_without_a_quorum_until_after_the_network_heals()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);
        var normal = Latest(bus, "service_error_ratio")["postgres"];
        sim.Inject(FaultKinds.PacketLoss);
        await Steps(sim, 2);

        await sim.Cluster.PatchAsync("StatefulSet", "shop", "postgres", Restart(), PatchType.Merge, CancellationToken.None);
        await Steps(sim, 6);
        Assert.True(Latest(bus, "service_error_ratio")["postgres"] > 0.5, "split: it refuses writes");

        // The partition ends after its hour; the database needs a few more minutes to catch up, then it is well.
        await Steps(sim, (int)(Simulator.PacketLossLength.TotalSeconds / 10));
        Assert.True(Latest(bus, "service_error_ratio")["postgres"] > 0.5, "still catching up");
        await Steps(sim, 31);
        Assert.True(Latest(bus, "service_error_ratio")["postgres"] < normal + 0.02);

        // The same restart on a healthy network is a 30-second blip.
        await sim.Cluster.PatchAsync("StatefulSet", "shop", "postgres", Restart(), PatchType.Merge, CancellationToken.None);
        await Steps(sim, 4);
        Assert.True(Latest(bus, "service_error_ratio")["postgres"] < normal + 0.02);
    }

    [Fact]
    public async Task Traced_requests_send_spans_with_their_tree_across_services_databases_and_the_queue()
    {
        var bus = new RecordingBus();
        var sim = new Simulator(DefaultEstate.Create(), new SimulationClock(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero)), bus, new SimulatorOptions { TraceSampling = 0.05 });
        await Steps(sim, 6); // A minute: long enough for spans no server answers to count as calls to their peer.

        var spans = bus.Messages.OfType<Core.Traces.SpanBatch>().SelectMany(b => b.Spans).ToList();
        Assert.NotEmpty(spans);
        var byId = spans.ToDictionary(s => (s.TraceId, s.SpanId));
        Assert.All(spans.Where(s => s.ParentSpanId.Length > 0), s => Assert.True(byId.ContainsKey((s.TraceId, s.ParentSpanId)), $"the parent of {s.Name} is in its trace"));
        Assert.All(spans.Where(s => s.ParentSpanId.Length == 0), s => Assert.Equal(("frontend", "server"), (s.Service, s.Kind)));
        Assert.All(spans.Where(s => s.Kind == "server" && s.ParentSpanId.Length > 0), s => Assert.Equal("client", byId[(s.TraceId, s.ParentSpanId)].Kind));
        Assert.Contains(spans, s => s.Kind == "consumer" && s.Service == "order-worker" && byId[(s.TraceId, s.ParentSpanId)].Kind == "producer");
        Assert.Contains(spans, s => s.Attributes.GetValueOrDefault("db.system") == "postgresql" && s.Attributes["db.name"] == "postgres");
        Assert.Contains(spans, s => s.Attributes.GetValueOrDefault("db.system") == "redis");
        Assert.All(spans, s => Assert.Contains(s.Resource["pod"], sim.Cluster.Pods().Select(p => p.Name)));

        var graph = new Core.Topology.ServiceGraph();
        graph.Learn(spans);
        Assert.Contains("checkout", graph.Callees("frontend"));
        Assert.Contains("order-worker", graph.Callees("checkout"));
        Assert.Contains("redis", graph.Callees("cart"));
        Assert.Contains("payment-provider", graph.Callees("payment")); // a third party: known only from its caller's spans
    }

    [Theory]
    [InlineData(FaultKinds.BadDeploy)]
    [InlineData(FaultKinds.CertificateExpiry)]
    [InlineData(FaultKinds.DependencyOutage)]
    public async Task A_failing_service_s_traces_fail_from_it_up_not_from_its_callers(string kind)
    {
        var bus = new RecordingBus();
        var sim = new Simulator(DefaultEstate.Create(), new SimulationClock(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero)), bus, new SimulatorOptions { Seed = 2, TraceSampling = 0.05 });
        await Steps(sim, 2);
        var fault = sim.Inject(kind);
        var before = bus.Messages.Count;
        await Steps(sim, 6);

        var origins = new Core.Traces.ErrorOrigins(TimeSpan.FromHours(1));
        origins.Record([.. bus.Messages.Skip(before).OfType<Core.Traces.SpanBatch>().SelectMany(b => b.Spans)]);

        var leading = origins.Leading(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.NotNull(leading);
        Assert.Equal(fault.Truth.Name, leading.Origin);
    }

    [Fact]
    public async Task Services_write_log_lines_that_say_why_requests_fail_the_same_for_the_same_seed()
    {
        async Task<(List<Core.Logs.LogRecord> Lines, Faults.InjectedFault Fault)> RunAsync()
        {
            var bus = new RecordingBus();
            var sim = new Simulator(DefaultEstate.Create(), new SimulationClock(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero)), bus, new SimulatorOptions { Seed = 3, LogSampling = 0.01 });
            await Steps(sim, 3);
            var fault = sim.Inject(FaultKinds.BadDeploy);
            await Steps(sim, 3);
            return ([.. bus.Messages.OfType<Core.Logs.LogBatch>().SelectMany(b => b.Records)], fault);
        }

        var (lines, fault) = await RunAsync();

        Assert.Contains(lines, l => l.Level == "INFO" && l.Message.StartsWith("GET /api/", StringComparison.Ordinal));
        var exceptions = lines.Where(l => l.Level == "ERROR" && l.Message.Contains("java.lang.NullPointerException", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, l => Assert.Equal(fault.Truth.Name, l.Service));
        Assert.Contains(lines, l => l.Level == "ERROR" && l.Message.StartsWith($"call to {fault.Truth.Name} failed", StringComparison.Ordinal));
        Assert.Equal(lines, (await RunAsync()).Lines);
    }

    [Fact]
    public async Task A_changed_traffic_pattern_scales_the_traffic_and_moves_its_daily_peak()
    {
        // 15:00 is the usual peak; after the change the peak is at 21:00 and there is half as much again.
        var (before, beforeBus) = Create(start: new DateTimeOffset(2026, 1, 5, 15, 0, 0, TimeSpan.Zero));
        var (after, afterBus) = Create(start: new DateTimeOffset(2026, 1, 5, 15, 0, 0, TimeSpan.Zero));
        after.ChangeTraffic(1.5, 21);
        await Steps(before, 1);
        await Steps(after, 1);

        var usual = Latest(beforeBus, "service_request_rate")["frontend"];
        var changed = Latest(afterBus, "service_request_rate")["frontend"];

        // At 15:00 the new pattern is 6 hours from its peak: 1.5 × (0.6 + 0.4·cos(π/2)) = 0.9 of the old peak.
        Assert.InRange(changed / usual, 0.85, 0.95);
        Assert.Throws<ArgumentOutOfRangeException>(() => after.ChangeTraffic(0, 21));
    }

    [Fact]
    public async Task Without_trace_sampling_no_spans_are_sent()
    {
        var (sim, bus) = Create();
        await Steps(sim, 3);

        Assert.Empty(bus.Messages.OfType<Core.Traces.SpanBatch>());
    }

    private static System.Text.Json.Nodes.JsonObject Restart() => new()
    {
        ["spec"] = new System.Text.Json.Nodes.JsonObject
        {
            ["template"] = new System.Text.Json.Nodes.JsonObject
            {
                ["metadata"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["annotations"] = new System.Text.Json.Nodes.JsonObject { [KubernetesObjects.RestartedAtAnnotation] = Guid.NewGuid().ToString() },
                },
            },
        },
    };

    private static (Simulator, RecordingBus) Create(int seed = 1, DateTimeOffset? start = null)
    {
        var bus = new RecordingBus();
        var clock = new SimulationClock(start ?? new DateTimeOffset(2026, 1, 5, 3, 0, 0, TimeSpan.Zero));
        return (new Simulator(DefaultEstate.Create(), clock, bus, new SimulatorOptions { Seed = seed }), bus);
    }

    private static async Task Steps(Simulator sim, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await sim.StepAsync(CancellationToken.None);
        }
    }

    private static async Task RestartAsync(Simulator sim, string service) =>
        await sim.Cluster.PatchAsync("Deployment", "shop", service, System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"template":{"metadata":{"annotations":{"restart":"now"}}}}}""")!, PatchType.StrategicMerge, CancellationToken.None);

    private static Dictionary<string, double> Latest(RecordingBus bus, string metric) =>
        bus.Messages.OfType<SampleBatch>().Last().Samples
            .Where(s => s.Series.Name == metric)
            .ToDictionary(s => s.Series["service"] ?? s.Series["node"]!, s => s.Value);

    private static List<string> Values(RecordingBus bus) =>
        bus.Messages.OfType<SampleBatch>().SelectMany(b => b.Samples).Select(s => $"{s.Series}={s.Value:R}").ToList();
}
