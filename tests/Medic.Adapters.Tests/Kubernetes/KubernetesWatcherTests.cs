using System.Collections.Concurrent;
using k8s;
using Medic.Adapters.Kubernetes;
using Medic.Core.Events;
using Medic.Core.Signals;
using Medic.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medic.Adapters.Tests.Kubernetes;

/// <summary>
/// The watcher against a loopback API server that streams recorded watch events: a watch that
/// drops resumes from the last resourceVersion; a 410 Gone starts over with a new list.
/// </summary>
public sealed class KubernetesWatcherTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly RecordingBus _bus = new();
    private LoopbackReceiver _api = null!;
    private int _eventLists;

    public async Task InitializeAsync()
    {
        _api = await LoopbackReceiver.StartAsync();
        _api.Respond = request => Task.FromResult(Answer(request.Path));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Events_and_pod_states_become_events_and_a_dropped_watch_resumes_where_it_was()
    {
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Address.ToString().TrimEnd('/') });
        using var watcher = new KubernetesWatcher(client, _bus, TimeProvider.System, NullLogger<KubernetesWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);

        await WaitAsync(() => _calls.Contains("watch events 2000") && _calls.Contains("watch pods 504") && _bus.Messages.OfType<KubernetesEvent>().Count() >= 8);
        await watcher.StopAsync(CancellationToken.None);

        var events = _bus.Messages.OfType<KubernetesEvent>().ToList();
        Assert.Equal(
            ["OOMKilling shop/cart-7d9f8b6c5-x2x9z", "BackOff shop/cart-7d9f8b6c5-x2x9z"],
            events.Where(e => e.Message.Contains("cgroup", StringComparison.Ordinal) || e.Message.StartsWith("Back-off", StringComparison.Ordinal)).Select(e => $"{e.Reason} {e.Namespace}/{e.ObjectName}"));
        var oom = Assert.Single(events, e => e.Reason == "OOMKilled");
        Assert.Equal(("cart", "node-1", "Deployment/cart"), (oom.Service, oom.Node, oom.Owner));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), oom.At);
        Assert.Single(events, e => e.Reason == "BackOff" && e.Message.StartsWith("container cart: CrashLoopBackOff", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Reason == "Pulled");
        Assert.Single(events, e => e is { Reason: "FailedScheduling", ObjectName: "cart-7d9f8b6c5-q8k2m" });
        Assert.Single(events, e => e is { Reason: "NodeNotReady", ObjectKind: "Node", ObjectName: "node-2" });
        var evicted = Assert.Single(events, e => e.Reason == "Evicted");
        Assert.Equal(("search", "node-2", "search-5c6d7-abcde", "StatefulSet/search"), (evicted.Service, evicted.Node, evicted.ObjectName, evicted.Owner));
        var pull = Assert.Single(events, e => e.Reason == "ImagePullBackOff");
        Assert.Equal(("checkout", "shop"), (pull.Service, pull.Namespace));

        // Each becomes a signal about its entity.
        var signals = new RecordingBus();
        var stage = new KubernetesEventStage(signals);
        foreach (var e in events)
        {
            await stage.HandleAsync(e, CancellationToken.None);
        }

        Assert.Equal(
            ["NodeNotReady node/node-2", "PodCrashLooping pod/cart-7d9f8b6c5-x2x9z", "PodEvicted pod/search-5c6d7-abcde", "PodImagePullFailing pod/checkout-6f7b8-zzz11", "PodOOMKilled pod/cart-7d9f8b6c5-x2x9z", "PodUnschedulable pod/cart-7d9f8b6c5-q8k2m"],
            signals.Messages.OfType<Signal>().Select(s => $"{s.Type} {s.Entity}").Distinct().Order(StringComparer.Ordinal));
        var oomSignal = signals.Messages.OfType<Signal>().First(s => s.Type == "PodOOMKilled" && s.Entity.Owner is not null);
        Assert.Equal(("shop", "cart", "node-1", "Deployment/cart"), (oomSignal.Entity.Namespace, oomSignal.Entity.Service, oomSignal.Entity.Node, oomSignal.Entity.Owner));

        // A watch that ends resumes from the last resourceVersion seen; the 410 Gone at 1005 starts over with a list.
        var eventCalls = _calls.Where(c => c.Contains("events", StringComparison.Ordinal)).TakeWhile(c => c != "watch events 2000").Append("watch events 2000").ToList();
        Assert.Equal(["list events", "watch events 1000", "watch events 1002", "watch events 1005", "list events", "watch events 2000"], eventCalls);
    }

    private Reply Answer(string path)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(path.Contains('?', StringComparison.Ordinal) ? path[path.IndexOf('?', StringComparison.Ordinal)..] : "");
        var what = path.StartsWith("/api/v1/events", StringComparison.Ordinal) ? "events" : path.StartsWith("/api/v1/pods", StringComparison.Ordinal) ? "pods" : null;
        if (what is null)
        {
            return new Reply(404, """{"kind":"Status","code":404}""");
        }

        if (query.TryGetValue("watch", out var watch) && watch == "true")
        {
            var version = query["resourceVersion"].ToString();
            _calls.Enqueue($"watch {what} {version}");
            var file = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "api", $"watch-{what}-{version}.jsonl");
            return new Reply(200, File.Exists(file) ? File.ReadAllText(file) : "");
        }

        _calls.Enqueue($"list {what}");
        var listed = what == "events" ? (Interlocked.Increment(ref _eventLists) == 1 ? "1000" : "2000") : "500";
        return new Reply(200, $$"""{"kind":"{{(what == "events" ? "EventList" : "PodList")}}","apiVersion":"v1","metadata":{"resourceVersion":"{{listed}}"},"items":[]}""");
    }

    private async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"the watcher did not get there (a hang guard); calls: {string.Join(", ", _calls)}; events: {_bus.Messages.OfType<KubernetesEvent>().Count()}");
    }
}
