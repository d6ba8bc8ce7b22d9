using Medic.Core.Alerts;
using Medic.Core.Incidents;
using Medic.Core.Incidents.Silences;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Incidents;

/// <summary>Each correlation rule, one at a time: what groups, what stays apart, and what happens to what was grouped.</summary>
public sealed class CorrelationStageTests
{
    // frontend → checkout → payment; checkout → cart; search stands alone. cart runs on node-1, search on node-2.
    private static readonly (string, string)[] Calls = [("frontend", "checkout"), ("checkout", "payment"), ("checkout", "cart")];
    private static readonly (string, string)[] Placements = [("cart", "node-1"), ("payment", "node-1"), ("search", "node-2")];
    private static readonly TimeSpan Wait = new CorrelationOptions().GroupWait;

    private static CorrelationHarness Harness(CorrelationOptions? options = null) => new(Some.Topology(Calls, Placements), options);

    [Fact]
    public async Task New_related_signals_wait_together_for_group_wait_and_open_one_incident()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.PassAsync(TimeSpan.FromSeconds(10));
        await h.SignalAsync("HighLatency", Some.Service("checkout"));
        Assert.Empty(await h.AllAsync());

        await h.PassAsync(Wait);

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal(2, incident.SignalCount);
        Assert.Equal(Some.Start, incident.OpenedAt);
        Assert.Equal(["payment", "checkout"], incident.Services);
        Assert.Single(h.Bus.Messages.OfType<IncidentChanged>(), m => m.Opened);
    }

    [Fact]
    public async Task New_signals_on_siblings_open_one_incident_and_so_do_those_that_race_it()
    {
        var h = Harness();

        // checkout calls both payment and cart.
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.SignalAsync("HighLatency", Some.Service("cart"));
        await h.PassAsync(Wait);
        await h.SignalAsync("HighLatency", Some.Pod("cart", "cart-2")); // came in just after the group opened
        await h.PassAsync(Wait);

        Assert.Equal(3, Assert.Single(await h.AllAsync()).SignalCount);
    }

    [Fact]
    public async Task Nodes_with_the_same_symptom_at_once_open_one_incident_even_a_node_that_runs_none_of_the_services()
    {
        var h = Harness();

        // The network between zones drops packets: every node retransmits, and the services on them slow down.
        // node-3 runs nothing (drained earlier); its signal still belongs with the others.
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-1"));
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-3"));
        await h.SignalAsync("HighLatency", Some.Service("cart"));
        await h.PassAsync(Wait);
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-2")); // came in just after the group opened
        await h.PassAsync(Wait);

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal(["node-1", "node-3", "node-2"], incident.Nodes);
        Assert.Equal(["NetworkRetransmits"], incident.NodeSymptoms);
    }

    [Fact]
    public async Task A_node_with_a_symptom_an_open_incident_has_on_other_nodes_joins_it_within_the_window()
    {
        var h = Harness();
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-1"));
        await h.PassAsync(Wait);
        await h.PassAsync(TimeSpan.FromMinutes(5));
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-3")); // runs none of the incident's services
        await h.PassAsync(Wait);

        Assert.Equal(["node-1", "node-3"], Assert.Single(await h.AllAsync()).Nodes);
    }

    [Fact]
    public async Task Nodes_with_different_symptoms_at_once_stay_apart()
    {
        var h = Harness();
        await h.SignalAsync("NetworkRetransmits", Some.Node("node-3"));
        await h.SignalAsync("NodeCpuSaturation", Some.Node("node-4"));
        await h.PassAsync(Wait);

        Assert.Equal(2, (await h.AllAsync()).Count);
    }

    [Fact]
    public async Task Unrelated_signals_at_the_same_time_open_separate_incidents()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.SignalAsync("HighLatency", Some.Service("search"));
        await h.PassAsync(Wait);

        Assert.Equal(2, (await h.AllAsync()).Count);
    }

    [Fact]
    public async Task A_related_signal_joins_an_open_incident_within_the_window_and_opens_a_new_one_after_it()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.PassAsync(Wait);
        await h.PassAsync(TimeSpan.FromMinutes(5));
        await h.SignalAsync("HighLatency", Some.Service("checkout"));
        Assert.Equal(2, Assert.Single(await h.AllAsync()).SignalCount);

        await h.PassAsync(h.Options.Window + TimeSpan.FromMinutes(1));
        await h.SignalAsync("HighLatency", Some.Service("cart"));
        await h.PassAsync(Wait);

        Assert.Equal(2, (await h.AllAsync()).Count);
    }

    [Fact]
    public async Task A_pod_and_its_node_belong_together_and_so_do_services_sharing_the_node()
    {
        var h = Harness();
        await h.SignalAsync("NodeCpuSaturation", Some.Node("node-1"));
        await h.SignalAsync("CpuSpike", Some.Pod("cart", "cart-1", node: "node-1"));
        await h.SignalAsync("HighLatency", Some.Service("payment"));
        await h.SignalAsync("HighLatency", Some.Service("search"));
        await h.PassAsync(Wait);

        var incidents = await h.AllAsync();
        Assert.Equal(2, incidents.Count);
        Assert.Contains(incidents, i => i.SignalCount == 3 && i.Nodes.SequenceEqual(["node-1"]));
        Assert.Contains(incidents, i => i.Services.SequenceEqual(["search"]));
    }

    [Fact]
    public async Task Signals_sharing_a_match_label_value_belong_together_without_a_known_connection()
    {
        var h = Harness();
        var host = new Dictionary<string, string> { ["instance"] = "10.0.3.7:9100" };
        await h.SignalAsync("DiskFull", Some.Service("search"), host);
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), host);
        await h.PassAsync(Wait);

        Assert.Equal(2, Assert.Single(await h.AllAsync()).SignalCount);
    }

    [Fact]
    public async Task Group_by_keeps_signals_of_different_values_apart_even_on_the_same_service()
    {
        var h = Harness(new CorrelationOptions { GroupBy = ["cluster"] });
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), new Dictionary<string, string> { ["cluster"] = "eu-1" });
        await h.SignalAsync("HighLatency", Some.Service("payment"), new Dictionary<string, string> { ["cluster"] = "us-1" });
        await h.PassAsync(Wait);

        var incidents = await h.AllAsync();
        Assert.Equal(2, incidents.Count);
        Assert.Equal(["cluster=eu-1", "cluster=us-1"], incidents.Select(i => i.GroupKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_repeated_signal_is_counted_as_a_duplicate_not_stored_again()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), metric: "service_error_ratio{service=\"payment\"}");
        await h.PassAsync(Wait);
        await h.PassAsync(TimeSpan.FromMinutes(2));
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), metric: "service_error_ratio{service=\"payment\"}");

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal((1, 1), (incident.SignalCount, incident.Duplicates));
        Assert.Single(await h.SignalsOfAsync(incident));
        Assert.Equal(Some.Start.AddMinutes(2) + Wait, incident.LastSignalAt);
    }

    [Fact]
    public async Task A_symptom_upstream_of_an_open_incident_is_attached_to_it_not_raised_beside_it()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.PassAsync(Wait);
        await h.PassAsync(TimeSpan.FromMinutes(3));

        // frontend does not call payment itself, only through checkout: two calls away.
        await h.SignalAsync("HighErrorRate", Some.Service("frontend"));
        await h.PassAsync(Wait);

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal(["payment", "frontend"], incident.Services);
        Assert.Contains(h.Incidents.Timeline, e => e.IncidentId == incident.Id && e.Message.StartsWith("symptom (inhibited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inhibition_reaches_only_as_far_as_the_symptom_depth()
    {
        var h = Harness(new CorrelationOptions { SymptomDepth = 1 });
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.PassAsync(Wait);
        await h.SignalAsync("HighErrorRate", Some.Service("frontend"));
        await h.PassAsync(Wait);

        Assert.Equal(2, (await h.AllAsync()).Count);
    }

    [Fact]
    public async Task A_silence_mutes_matching_signals_until_it_ends()
    {
        var h = Harness();
        await h.Silences.SaveAsync(
            new Silence
            {
                Id = "s1",
                Matchers = [LabelMatcher.Parse("service=payment"), LabelMatcher.Parse("alertname=~High.*")],
                CreatedBy = "alice",
                Comment = "payment provider maintenance",
                StartsAt = Some.Start,
                EndsAt = Some.Start.AddMinutes(30),
            },
            CancellationToken.None);
        await h.Stage.HandleAsync(new SilencesChanged(), CancellationToken.None);

        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.SignalAsync("PodOOMKilled", Some.Service("payment"));
        await h.PassAsync(Wait);
        Assert.Equal(1, h.Stage.Muted);
        Assert.Equal("PodOOMKilled", Assert.Single(await h.SignalsOfAsync(Assert.Single(await h.AllAsync()))).Type);

        await h.PassAsync(TimeSpan.FromMinutes(31));
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        Assert.Equal(1, h.Stage.Muted);
    }

    [Fact]
    public async Task A_signal_related_to_two_open_incidents_merges_them_into_the_older()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.PassAsync(Wait);
        await h.PassAsync(TimeSpan.FromMinutes(1)); // No longer forming: cart's trouble is news.
        await h.SignalAsync("HighLatency", Some.Service("cart"));
        await h.PassAsync(Wait);
        Assert.Equal(2, (await h.AllAsync()).Count);

        // checkout calls both.
        await h.SignalAsync("HighLatency", Some.Service("checkout"));

        var incidents = await h.AllAsync();
        var (older, newer) = (incidents[0], incidents[1]);
        Assert.Equal((IncidentState.Open, 3), (older.State, older.SignalCount));
        Assert.Equal((IncidentState.Merged, older.Id), (newer.State, newer.MergedInto));
        Assert.Equal(3, (await h.SignalsOfAsync(older)).Count);
        Assert.Empty(await h.SignalsOfAsync(newer));
        Assert.Contains(h.Bus.Messages.OfType<IncidentStateChanged>(), m => m.IncidentId == newer.Id && m.State == IncidentState.Merged);
        Assert.Contains(h.Incidents.Timeline, e => e.IncidentId == older.Id && e.Kind == "merge");
    }

    [Fact]
    public async Task Parts_of_an_incident_that_nothing_connects_any_more_are_split_off()
    {
        var topology = Some.Topology(Calls, Placements);
        var h = new CorrelationHarness(topology);
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.SignalAsync("HighLatency", Some.Service("checkout"));
        await h.SignalAsync("HighLatency", Some.Service("frontend"));
        await h.PassAsync(Wait);
        var incident = Assert.Single(await h.AllAsync());

        // checkout stopped calling payment: payment's part no longer belongs.
        var later = Some.Start + topology.MaxAge + TimeSpan.FromMinutes(1);
        topology.Learn(new SampleBatch([
            new Sample(SeriesKey.Of("service_client_request_rate", "service", "frontend", "peer_service", "checkout"), later, 1),
            new Sample(SeriesKey.Of("service_client_request_rate", "service", "checkout", "peer_service", "cart"), later, 1)]));
        await h.PassAsync(CorrelationStage.SplitCheckInterval);

        var incidents = await h.AllAsync();
        Assert.Equal(2, incidents.Count);
        var kept = incidents.Single(i => i.Id == incident.Id);
        Assert.Equal(["checkout", "frontend"], kept.Services);
        Assert.Equal(["payment"], incidents.Single(i => i.Id != incident.Id).Services);
        Assert.Contains(h.Incidents.Timeline, e => e.IncidentId == incident.Id && e.Kind == "split");
    }

    [Fact]
    public async Task After_a_fix_a_series_swinging_back_stays_with_the_incident_and_a_new_problem_opens_a_new_one()
    {
        var h = Harness();
        await h.SignalAsync("MetricAnomaly", Some.Service("payment"), direction: "down", metric: "cache_hit_ratio");
        await h.PassAsync(Wait);
        var fixedOne = Assert.Single(await h.AllAsync());
        await h.Incidents.UpdateAsync(fixedOne.Id, i => i with { State = IncidentState.Resolved, ClosedAt = h.Clock.GetUtcNow() }, CancellationToken.None);
        await h.Stage.HandleAsync(new IncidentStateChanged(fixedOne.Id, IncidentState.Resolved, "recovered"), CancellationToken.None);

        await h.PassAsync(TimeSpan.FromMinutes(2));
        await h.SignalAsync("MetricAnomaly", Some.Service("payment"), direction: "up", metric: "cache_hit_ratio");
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), direction: "up", metric: "service_error_ratio");
        await h.PassAsync(Wait);

        var incidents = await h.AllAsync();
        Assert.Equal(2, incidents.Count);
        Assert.Equal((IncidentState.Resolved, 2), (incidents[0].State, incidents[0].SignalCount));
        Assert.Equal("HighErrorRate", Assert.Single(await h.SignalsOfAsync(incidents[1])).Type);
    }

    [Fact]
    public async Task An_alertmanager_alert_and_a_metric_anomaly_on_the_same_service_land_in_one_incident()
    {
        var h = Harness();
        var alerts = new ExternalAlerts(h.Bus);
        await alerts.FireAsync(
            new ExternalAlert("fp1", "PaymentErrorsHigh", new Dictionary<string, string> { ["alertname"] = "PaymentErrorsHigh", ["service"] = "payment", ["severity"] = "critical" }, new Dictionary<string, string>(), Some.Start),
            CancellationToken.None);
        await h.Stage.HandleAsync(h.Bus.Messages.OfType<Signal>().Single(), CancellationToken.None);
        await h.SignalAsync("HighLatency", Some.Pod("payment", "payment-7d9-x"));
        await h.PassAsync(Wait);

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal([ExternalAlerts.Source, SignalSources.Metrics], (await h.SignalsOfAsync(incident)).Select(s => s.Source).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task People_can_merge_incidents_and_split_signals_off_by_hand()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"));
        await h.SignalAsync("HighLatency", Some.Service("search"));
        await h.PassAsync(Wait);
        var (first, second) = ((await h.AllAsync())[0], (await h.AllAsync())[1]);

        await h.Stage.HandleAsync(new IncidentsMergeRequested(first.Id, [second.Id], "alice"), CancellationToken.None);
        Assert.Equal(2, (await h.Incidents.GetAsync(first.Id, CancellationToken.None))!.SignalCount);
        Assert.Equal(IncidentState.Merged, (await h.Incidents.GetAsync(second.Id, CancellationToken.None))!.State);

        var search = (await h.SignalsOfAsync(first)).Single(s => s.Entity.Service == "search");
        await h.Stage.HandleAsync(new IncidentSplitRequested(first.Id, [search.Id], "alice"), CancellationToken.None);

        var active = (await h.AllAsync()).Where(i => i.IsActive).ToList();
        Assert.Equal(2, active.Count);
        Assert.Equal(["payment"], active.Single(i => i.Id == first.Id).Services);
        Assert.Equal(["search"], active.Single(i => i.Id != first.Id).Services);
        Assert.Contains(h.Incidents.Timeline, e => e.Message.Contains("split off by alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Incidents_open_before_a_restart_keep_collecting_their_signals()
    {
        var h = Harness();
        await h.SignalAsync("HighErrorRate", Some.Service("payment"), metric: "m");
        await h.PassAsync(Wait);
        var restarted = new CorrelationStage(h.Bus, h.Incidents, h.Signals, h.Silences, new SignalRelations(Some.Topology(Calls, Placements), h.Options), h.Options, h.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<CorrelationStage>.Instance);

        await restarted.HandleAsync(Some.Signal("HighErrorRate", Some.Service("payment")) with { ObservedAt = h.Clock.GetUtcNow(), Metric = "m" }, CancellationToken.None);
        await restarted.HandleAsync(Some.Signal("HighLatency", Some.Service("checkout")) with { ObservedAt = h.Clock.GetUtcNow() }, CancellationToken.None);

        var incident = Assert.Single(await h.AllAsync());
        Assert.Equal((2, 1), (incident.SignalCount, incident.Duplicates));
    }
}
