using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medic.Testing;

/// <summary>
/// An HTTP server on 127.0.0.1 at a free port that records every request (method, path, headers,
/// body) and answers as the test says: the peer a webhook, Slack or PagerDuty test talks to.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private LoopbackReceiver(WebApplication app) => _app = app;

    /// <summary>How to answer a request; by default 200 with <c>{"ok": true}</c>.</summary>
    public Func<ReceivedRequest, Task<Reply>> Respond { get; set; } = _ => Task.FromResult(new Reply(200));

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public Uri Address { get; private set; } = null!;

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public Uri Url(string path) => new(Address, path);

    /// <summary>Waits until <paramref name="count"/> requests have arrived in all (a hang guard, not a timing assertion).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (_requests.Count < count)
        {
            await _arrived.WaitAsync(guard.Token);
        }

        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value + context.Request.QueryString.Value,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync());
        _requests.Enqueue(request);
        _arrived.Release();
        var reply = await Respond(request);
        context.Response.StatusCode = reply.Status;
        if (reply.Location is not null)
        {
            context.Response.Headers.Location = reply.Location;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }
}

/// <summary>One request as the receiver got it.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the receiver answers.</summary>
internal sealed record Reply(int Status, string Body = """{"ok": true}""", string? Location = null);
