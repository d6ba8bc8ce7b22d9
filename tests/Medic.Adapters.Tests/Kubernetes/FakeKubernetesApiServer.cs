using System.Collections.Concurrent;
using Medic.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Medic.Adapters.Tests.Kubernetes;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 that answers from recorded API JSON and records every
/// request (method, path, query, content type, body), so tests can check exactly what was sent.
/// </summary>
internal sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly LoopbackReceiver _receiver;
    private readonly ConcurrentDictionary<string, (int Status, string File)> _routes = new(StringComparer.Ordinal);

    private FakeKubernetesApiServer(LoopbackReceiver receiver)
    {
        _receiver = receiver;
        _receiver.Respond = AnswerAsync;
    }

    public IEnumerable<RecordedRequest> Requests => _receiver.Requests.Select(Record);

    public string Address => _receiver.Address.ToString().TrimEnd('/');

    public static async Task<FakeKubernetesApiServer> StartAsync() => new(await LoopbackReceiver.StartAsync());

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with a recorded file (from Kubernetes/api).</summary>
    public FakeKubernetesApiServer On(string method, string path, string file, int status = 200)
    {
        _routes[$"{method} {path}"] = (status, file);
        return this;
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    private async Task<Reply> AnswerAsync(ReceivedRequest request)
    {
        var route = _routes.TryGetValue($"{request.Method} {Record(request).Path}", out var found) ? found : (404, "status-not-found.json");
        return new Reply(route.Item1, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "api", route.Item2)));
    }

    private static RecordedRequest Record(ReceivedRequest request)
    {
        var query = request.Path.IndexOf('?', StringComparison.Ordinal);
        return new RecordedRequest(
            request.Method,
            query < 0 ? request.Path : request.Path[..query],
            query < 0 ? new Dictionary<string, string>() : QueryHelpers.ParseQuery(request.Path[query..]).ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Header("Content-Type")?.Split(';')[0].Trim(),
            request.Body)
        {
            Authorization = request.Header("Authorization") ?? "",
        };
    }
}

/// <summary>One request as the fake API server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body)
{
    public string Authorization { get; init; } = "";
}
