using Medic.Apis;
using Medic.Core.Json;
using Medic.Otlp;
using Medic.Web;
using Medic.Web.Auth;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Medic.Composition;

/// <summary>Builds the HTTP server with the whole loop behind it.</summary>
public static class MedicServer
{
    /// <summary>Largest request body the API accepts; approvals and switches are a few hundred bytes.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Builds (but does not start) the server.</summary>
    /// <param name="options">Paths, addresses, log level.</param>
    /// <param name="configure">Registrations that go first: the demo's clock, cluster and sinks.</param>
    /// <param name="sinks">Extra sink stages, registered before the loop's own.</param>
    public static WebApplication Build(MedicOptions options, Action<IServiceCollection>? configure = null, Action<IServiceCollection>? sinks = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Medic reads no files from a content root (its settings come from medic.yaml), so the host
            // neither looks in the working directory nor watches it for appsettings changes: that
            // watch put an inotify watch on every folder below wherever medic was started.
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            Endpoints.Listen(kestrel, options.Urls, HttpProtocols.Http1);
            if (!string.IsNullOrWhiteSpace(options.OtlpGrpcUrl))
            {
                Endpoints.Listen(kestrel, options.OtlpGrpcUrl, HttpProtocols.Http2);
            }
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", options.LogLevel < LogLevel.Warning ? LogLevel.Warning : options.LogLevel);
        // A failure to start reaches the caller as an exception, which the command reports plainly.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => MedicJson.Configure(json.SerializerOptions));
        configure?.Invoke(builder.Services);
        builder.Services.AddMedic(options, sinks);
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.Ingest.MaxDecompressedBytes);
        builder.Services.AddSingleton<Otlp.OtlpReceiver>();
        builder.Services.AddIngestRateLimit(options.Ingest);
        builder.Services.AddMedicAuth(options.Auth);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseMedicAuth();

        // With sign-in on, whoever is signed in is the actor of every change they send.
        var root = app.MapGroup("");
        if (options.Auth.Enabled)
        {
            root.AddEndpointFilterFactory(ActorFilter.Create);
        }

        root.MapHealthApi();
        root.MapIncidentsApi();
        root.MapDecisionsApi();
        root.MapRunsApi();
        var ingest = root.MapGroup("").RequireRateLimiting(IngestRateLimit.Policy);
        ingest.MapRemoteWriteApi();
        ingest.MapAlertmanagerApi();
        ingest.MapChangesApi();
        ingest.MapLogsIngestApi();
        ingest.MapOtlpHttpApi();
        root.MapSamplesApi();
        root.MapTracesApi();
        app.MapGrpcService<Otlp.OtlpMetricsGrpc>().RequireRateLimiting(IngestRateLimit.Policy);
        app.MapGrpcService<Otlp.OtlpLogsGrpc>().RequireRateLimiting(IngestRateLimit.Policy);
        app.MapGrpcService<Otlp.OtlpTracesGrpc>().RequireRateLimiting(IngestRateLimit.Policy);
        root.MapSlackApi();
        root.MapKillSwitchApi();
        root.MapLearningApi();
        root.MapSilencesApi();
        root.MapTopologyApi();
        root.MapPlaybooksApi();
        root.MapAuditApi();
        root.MapConsole();
        root.MapSignIn();
        return app;
    }
}
