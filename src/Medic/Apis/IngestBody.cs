using System.Buffers;
using Medic.Adapters.Ingest;
using Microsoft.AspNetCore.Http.Features;

namespace Medic.Apis;

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

    /// <summary>
    /// Reads and drops the body of a request refused before it was read (429), up to the size limit.
    /// Kestrel would drain it too, but gives up after five seconds and closes the connection, which a
    /// loaded server can miss: the sender then sees a broken pipe instead of the Retry-After it should honour.
    /// </summary>
    public static async Task DiscardAsync(HttpContext context, IngestLimits limits, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Over the limit or cut short: Kestrel closes this connection, which is all that is left to do.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
