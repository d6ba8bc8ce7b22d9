using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Medic.Core.Bus;
using Medic.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Kubernetes;

/// <summary>
/// Watches the cluster's events and pods with the official client and publishes what means trouble
/// as <see cref="KubernetesEvent"/>s: warning events (OOMKilling, BackOff, Evicted,
/// FailedScheduling, NodeNotReady, ...) and pod states (a container OOMKilled, in
/// CrashLoopBackOff or ImagePullBackOff, a pod evicted). A watch that drops resumes from the last
/// resourceVersion it saw; one the server has forgotten (410 Gone) starts over with a fresh list.
/// </summary>
public sealed partial class KubernetesWatcher(IKubernetes? client, IBus bus, TimeProvider clock, ILogger<KubernetesWatcher> logger) : BackgroundService
{
    /// <summary>Longest wait before reconnecting after an error.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> TroubleStates = new(StringComparer.Ordinal) { "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError" };
    private readonly ConcurrentDictionary<string, string> _reported = new(StringComparer.Ordinal);

    /// <summary>Watches started so far (for tests and diagnostics).</summary>
    public int Watches => _watches;

    private int _watches;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        client is null ? Task.CompletedTask : Task.WhenAll(
            WatchAsync(
                "events",
                async ct => (await client.CoreV1.ListEventForAllNamespacesAsync(limit: 1, cancellationToken: ct)).Metadata?.ResourceVersion,
                (rv, onError, ct) => client.CoreV1.WatchListEventForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct),
                EventAsync,
                stoppingToken),
            WatchAsync(
                "pods",
                async ct => (await client.CoreV1.ListPodForAllNamespacesAsync(limit: 1, cancellationToken: ct)).Metadata?.ResourceVersion,
                (rv, onError, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct),
                PodAsync,
                stoppingToken));

    /// <summary>How long one watch request may last before the server ends it and the watcher resumes.</summary>
    private const int WatchSeconds = 300;

    /// <summary>List, then watch from the list's resourceVersion, resuming from the last one seen; relist on 410.</summary>
    private async Task WatchAsync<T>(
        string what,
        Func<CancellationToken, Task<string?>> list,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<T, CancellationToken, Task> handle,
        CancellationToken stoppingToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        string? version = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    // What happened before Medic looked is history: start from now, not from the list's items.
                    version = await list(stoppingToken) ?? "0";
                    continue;
                }

                Interlocked.Increment(ref _watches);
                var started = clock.GetUtcNow();
                var events = 0;

                // The client reports a watch's ERROR events (a Status object) here instead of throwing.
                Exception? failure = null;
                await foreach (var (type, item) in watch(version, e => failure ??= e, stoppingToken))
                {
                    events++;
                    version = item.Metadata?.ResourceVersion ?? version;
                    failures = 0;
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        await handle(item, stoppingToken);
                    }
                }

                if (failure is not null)
                {
                    throw failure;
                }

                // A server that ends watches at once must not be hammered.
                if (events == 0 && clock.GetUtcNow() - started < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Gone(e))
            {
                LogRelist(what);
                version = null;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or HttpOperationException or KubernetesException or System.Text.Json.JsonException)
            {
                failures++;
                LogReconnect(what, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10)))), clock, stoppingToken);
            }
        }
    }

    private static bool Gone(Exception e) =>
        e is KubernetesException { Status.Code: 410 } || (e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone });

    private async Task EventAsync(Corev1Event e, CancellationToken cancellationToken)
    {
        if (e.Type != "Warning" && e.Reason is not ("NodeNotReady" or "Evicted"))
        {
            return;
        }

        var at = e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? clock.GetUtcNow().UtcDateTime;
        await bus.PublishAsync(
            new KubernetesEvent(e.Reason ?? "", e.Type ?? "Warning", e.InvolvedObject?.Kind ?? "", e.InvolvedObject?.Name ?? "", e.InvolvedObject?.NamespaceProperty ?? e.Metadata.NamespaceProperty ?? "", e.Message ?? "", new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)))
            {
                Node = e.Source?.Host,
            },
            cancellationToken);
    }

    private async Task PodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var service = labels.TryGetValue("app.kubernetes.io/name", out var app) ? app : labels.TryGetValue("app", out var plain) ? plain : null;
        if (pod.Status?.Reason == "Evicted")
        {
            await ReportAsync($"{ns}/{name}", "Evicted", pod.Status.Message ?? "the pod was evicted", clock.GetUtcNow());
        }

        foreach (var container in pod.Status?.ContainerStatuses ?? [])
        {
            if (container.LastState?.Terminated is { Reason: "OOMKilled" } killed)
            {
                var at = killed.FinishedAt is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : clock.GetUtcNow();
                await ReportAsync($"{ns}/{name}/{container.Name}/oom", "OOMKilled", $"container {container.Name} was OOMKilled (exit code {killed.ExitCode}), restart {container.RestartCount}", at, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (container.State?.Waiting is { Reason: { } reason } waiting && TroubleStates.Contains(reason))
            {
                await ReportAsync($"{ns}/{name}/{container.Name}/waiting", reason == "CrashLoopBackOff" ? "BackOff" : reason, $"container {container.Name}: {reason}: {waiting.Message}", clock.GetUtcNow(), reason);
            }
            else
            {
                _reported.TryRemove($"{ns}/{name}/{container.Name}/waiting", out _);
            }
        }

        // Reports once per state: a pod is modified often, a state is news once.
        async Task ReportAsync(string key, string reason, string message, DateTimeOffset at, string? state = null)
        {
            state ??= reason;
            if (_reported.TryGetValue(key, out var last) && last == state)
            {
                return;
            }

            _reported[key] = state;
            await bus.PublishAsync(new KubernetesEvent(reason, "Warning", "Pod", name, ns, message, at) { Service = service, Node = pod.Spec?.NodeName, Owner = Owner(pod) }, cancellationToken);
        }
    }

    /// <summary>The workload a pod belongs to: a ReplicaSet made by a Deployment names the Deployment.</summary>
    internal static string? Owner(V1Pod pod)
    {
        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata.OwnerReferences?.FirstOrDefault();
        if (controller is null)
        {
            return null;
        }

        var suffix = pod.Metadata.Labels?.TryGetValue("pod-template-hash", out var hash) == true ? "-" + hash : null;
        return controller.Kind == "ReplicaSet" && suffix is not null && controller.Name.EndsWith(suffix, StringComparison.Ordinal)
            ? $"Deployment/{controller.Name[..^suffix.Length]}"
            : $"{controller.Kind}/{controller.Name}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes {What} watch: resourceVersion too old, listing again")]
    private partial void LogRelist(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes {What} watch dropped ({Problem}); resuming")]
    private partial void LogReconnect(string what, string problem);
}
