using System.Buffers;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.RemoteWrite;
using Medic.Core.Bus;
using Medic.Core.Telemetry;

namespace Medic.Apis;

/// <summary>
/// <c>POST /api/v1/write</c>: Prometheus remote_write 1.0 (snappy block format around a protobuf
/// WriteRequest). Answers as Prometheus expects: 204 when stored; 400 (which Prometheus does not
/// retry) for a malformed body or refused series; 413 for a body too large; 415 for the wrong
/// encoding; 429 with Retry-After when Medic is behind, so Prometheus retries later.
/// </summary>
internal static class RemoteWriteApi
{
    public static IEndpointRouteBuilder MapRemoteWriteApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/write", WriteAsync);
        return app;
    }

    private static async Task<IResult> WriteAsync(HttpContext context, RemoteWriteReader reader, IBus bus, IBusMonitor monitor, IngestLimits limits, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers.ContentEncoding, "snappy", StringComparison.OrdinalIgnoreCase) || request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "remote_write bodies are Content-Type: application/x-protobuf with Content-Encoding: snappy");
        }

        var (source, badTenant) = IngestSource.Of(request.Headers[IngestSource.TenantHeader], "remote_write");
        if (badTenant is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, badTenant);
        }

        if (monitor.InFlight > limits.MaxBatchesInFlight)
        {
            context.Response.Headers.RetryAfter = "1";
            await IngestBody.DiscardAsync(context, limits, cancellationToken);
            return Problem(StatusCodes.Status429TooManyRequests, "Medic is behind on the samples it has; retry shortly");
        }

        var body = await IngestBody.ReadAsync(context, limits, cancellationToken);
        if (body.Problem is { } tooLarge)
        {
            body.Return();
            return tooLarge;
        }

        var inflated = Array.Empty<byte>();
        try
        {
            int length;
            try
            {
                length = Snappier.Snappy.GetUncompressedLength(body.Bytes.AsSpan(0, body.Length));
            }
            catch (InvalidDataException)
            {
                return Problem(StatusCodes.Status400BadRequest, "the body is not in snappy block format");
            }

            if (length > limits.MaxDecompressedBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, $"the body inflates to {length} bytes, more than the limit of {limits.MaxDecompressedBytes}");
            }

            inflated = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            try
            {
                Snappier.Snappy.Decompress(body.Bytes.AsSpan(0, body.Length), inflated);
            }
            catch (InvalidDataException)
            {
                return Problem(StatusCodes.Status400BadRequest, "the body is not in snappy block format (corrupt or truncated)");
            }

            var collected = new List<Sample>();
            var result = reader.Read(inflated.AsSpan(0, length), collected, source);
            if (result.Problem is { } problem)
            {
                return Problem(StatusCodes.Status400BadRequest, problem);
            }

            if (collected.Count > 0)
            {
                await bus.PublishAsync(new SampleBatch(collected), cancellationToken);
            }

            return result.RefusedSeries > 0
                ? Problem(StatusCodes.Status400BadRequest, $"{result.RefusedSeries} series refused ({result.Refusal}); {result.Stored} samples stored")
                : Results.NoContent();
        }
        finally
        {
            body.Return();
            if (inflated.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(inflated);
            }
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}
