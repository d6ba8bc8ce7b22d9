using System.Buffers;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.RemoteWrite;
using Medic.Core.Bus;
using Medic.Core.Telemetry;
using Microsoft.AspNetCore.Http.Features;

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

/// <summary>A request body read into a pooled buffer, within the ingest size limit.</summary>
internal readonly record struct IngestBody(byte[] Bytes, int Length, IResult? Problem)
{
    /// <summary>Reads the body; a body over the limit gets 413 (its buffer is still rented: return it).</summary>
    public static async Task<IngestBody> ReadAsync(HttpContext context, IngestLimits limits, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return new IngestBody([], 0, TooLarge(limits));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(context.Request.ContentLength ?? 64 * 1024, limits.MaxBodyBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limits.MaxBodyBytes)
                    {
                        return new IngestBody(buffer, length, TooLarge(limits));
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limits.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limits.MaxBodyBytes)
                {
                    return new IngestBody(buffer, length, TooLarge(limits));
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new IngestBody(buffer, length, TooLarge(limits));
        }

        return new IngestBody(buffer, length, null);
    }

    /// <summary>
    /// The body, gunzipped when <c>Content-Encoding: gzip</c> says so, within the size limits (the
    /// inflated size is checked as it grows, so a gzip bomb stops at the limit). The buffer is
    /// pooled: <see cref="Return"/> it.
    /// </summary>
    public static async Task<IngestBody> ReadInflatedAsync(HttpContext context, IngestLimits limits, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(context, limits, cancellationToken);
        if (body.Problem is not null || !string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var inflated = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(body.Length * 4, 4096), limits.MaxDecompressedBytes + 1));
        var length = 0;
        try
        {
            await using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body.Bytes, 0, body.Length), System.IO.Compression.CompressionMode.Decompress);
            int read;
            while ((read = await gzip.ReadAsync(inflated.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > limits.MaxDecompressedBytes)
                {
                    return new IngestBody(inflated, 0, TypedResults.Problem($"the body inflates past the limit of {limits.MaxDecompressedBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge));
                }

                if (length == inflated.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(inflated.Length * 2, limits.MaxDecompressedBytes + 1));
                    inflated.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(inflated);
                    inflated = larger;
                }
            }

            return new IngestBody(inflated, length, null);
        }
        catch (InvalidDataException)
        {
            return new IngestBody(inflated, 0, TypedResults.Problem("the body says gzip but is not valid gzip", statusCode: StatusCodes.Status400BadRequest));
        }
        finally
        {
            body.Return();
        }
    }

    /// <summary>The bytes read.</summary>
    public ReadOnlyMemory<byte> Memory => Bytes.AsMemory(0, Length);

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Return()
    {
        if (Bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Bytes);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(IngestLimits limits) =>
        TypedResults.Problem($"the body is larger than the limit of {limits.MaxBodyBytes} bytes; send smaller batches", statusCode: StatusCodes.Status413PayloadTooLarge);
}
