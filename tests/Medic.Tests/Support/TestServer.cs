using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Composition;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Policy;
using Medic.Core.Storage;
using Medic.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medic.Tests.Support;

/// <summary>A real Medic server on 127.0.0.1 at a free port, with its own database, stopped and cleaned up on dispose.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir;

    private TestServer(WebApplication app, HttpClient http, TempDirectory dir)
    {
        App = app;
        Http = http;
        _dir = dir;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public Uri Address => Http.BaseAddress!;

    public static async Task<TestServer> StartAsync(string? playbooks = null, Action<MedicOptions>? configure = null)
    {
        var dir = new TempDirectory();
        var options = new MedicOptions
        {
            Urls = "http://127.0.0.1:0",
            OtlpGrpcUrl = "",
            DataPath = dir.File("medic.db"),
            PlaybooksDirectory = playbooks ?? RepoPaths.Playbooks,
            PlaybookReloadInterval = TimeSpan.Zero,
            LogLevel = LogLevel.Warning,
        };
        configure?.Invoke(options);
        var app = MedicServer.Build(options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new HttpClient { BaseAddress = new Uri(address) }, dir);
    }

    /// <summary>A file in the server's own temporary directory.</summary>
    public string File(string name) => _dir.File(name);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>An open incident, stored directly.</summary>
    public Task IncidentAsync(string incidentId) =>
        App.Services.GetRequiredService<IIncidentStore>().CreateAsync(
            new Incident { Id = incidentId, State = IncidentState.Remediating, Title = "PodOOMKilled on pod/cart-1", OpenedAt = T0, UpdatedAt = T0, LastSignalAt = T0 },
            CancellationToken.None);

    /// <summary>An incident with a decision waiting for approval, stored directly.</summary>
    public async Task<string> PendingDecisionAsync(string incidentId, IReadOnlyList<string> approvers, int approvalsRequired = 1)
    {
        await IncidentAsync(incidentId);
        var id = "d-" + incidentId;
        await App.Services.GetRequiredService<IDecisionStore>().SaveAsync(
            new Decision
            {
                Id = id,
                IncidentId = incidentId,
                CreatedAt = T0,
                Status = DecisionStatus.AwaitingApproval,
                Level = AutomationLevel.L1,
                Reason = "approval required",
                PlaybookId = "k8s-pod-oom-restart-v1",
                Approvers = approvers,
                ApprovalsRequired = approvalsRequired,
                ExpiresAt = DateTimeOffset.MaxValue,
            },
            CancellationToken.None);
        return id;
    }

    public async Task<JsonObject> GetJsonAsync(string path) => (await Http.GetFromJsonAsync<JsonObject>(path))!;
}
