using System.Threading.RateLimiting;
using Medic.Adapters.Ingest;

namespace Medic.Apis;

/// <summary>
/// The request rate limit of the ingest endpoints: a token bucket per source (the tenant a sender
/// names in <c>X-Scope-OrgID</c>, or else its address), so one runaway sender cannot starve the
/// others. Past it a sender gets 429 with <c>Retry-After</c>, which Prometheus and the OpenTelemetry
/// exporters retry; nothing accepted is ever dropped.
/// </summary>
internal static class IngestRateLimit
{
    public const string Policy = "ingest";

    public static IServiceCollection AddIngestRateLimit(this IServiceCollection services, IngestLimits limits) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await IngestBody.DiscardAsync(context.HttpContext, limits, cancellationToken);
                await TypedResults.Problem(
                    $"more than {limits.MaxRequestsPerSecond} requests a second from {Source(context.HttpContext)} (ingest.max_requests_per_second); retry shortly",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            options.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(Source(context), _ => Bucket(limits.MaxRequestsPerSecond)));
        });

    /// <summary>A bucket that holds one second of requests and refills in tenths of a second (whole seconds for small rates).</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond,
        TokensPerPeriod = perSecond >= 10 ? perSecond / 10 : perSecond,
        ReplenishmentPeriod = perSecond >= 10 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string Source(HttpContext context) =>
        context.Request.Headers[IngestSource.TenantHeader] is [{ Length: > 0 } tenant] ? $"tenant {tenant}" : $"{context.Connection.RemoteIpAddress}";
}
