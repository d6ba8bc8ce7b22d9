using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Tests.Kubernetes;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 that answers from recorded API JSON and records every
/// request (method, path, query, content type, body), so tests can check exactly what was sent.
/// </summary>
internal sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string File)> _routes = new(StringComparer.Ordinal);

    private FakeKubernetesApiServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public string Address { get; private set; } = "";

    public static async Task<FakeKubernetesApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeKubernetesApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with a recorded file (from Kubernetes/api).</summary>
    public FakeKubernetesApiServer On(string method, string path, string file, int status = 200)
    {
        _routes[$"{method} {path}"] = (status, file);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = context.Request;
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "", request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), request.ContentType?.Split(';')[0].Trim(), body) { Authorization = request.Headers.Authorization.ToString() });
        context.Response.ContentType = "application/json";
        if (!_routes.TryGetValue($"{request.Method} {request.Path.Value}", out var route))
        {
            route = (404, "status-not-found.json");
        }

        context.Response.StatusCode = route.Status;
        await context.Response.WriteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "api", route.File)));
    }
}

/// <summary>One request as the fake API server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body)
{
    public string Authorization { get; init; } = "";
}
