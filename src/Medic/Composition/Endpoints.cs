using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Medic.Composition;

/// <summary>Kestrel endpoints from URLs: the API speaks HTTP/1.1, OTLP/gRPC speaks HTTP/2 without TLS on its own port.</summary>
internal static class Endpoints
{
    /// <summary>Listens on each <c>http://host:port</c> of <paramref name="urls"/> (separated by <c>;</c>).</summary>
    public static void Listen(KestrelServerOptions kestrel, string urls, HttpProtocols protocols)
    {
        foreach (var text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var url) || url.Scheme != "http")
            {
                throw new FormatException($"'{text}' is not an address to listen on; write http://127.0.0.1:8080 (TLS belongs to the proxy in front of Medic)");
            }

            var address = url.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "0.0.0.0" => IPAddress.Any,
                _ when IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) => ip,
                _ => throw new FormatException($"'{text}': listen on an IP address or localhost, not the name {url.Host}"),
            };
            kestrel.Listen(address, url.Port, listen => listen.Protocols = protocols);
        }
    }
}
