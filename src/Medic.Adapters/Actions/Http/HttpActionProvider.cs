using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Medic.Core.Json;
using Medic.Core.Workflows;

namespace Medic.Adapters.Actions.Http;

/// <summary>
/// The <c>http</c> action: a webhook call with method, headers, body, an optional HMAC signature,
/// and an <c>Idempotency-Key</c> header. It goes only to allowed destinations: the check is made
/// on the address actually connected to (no DNS rebinding), and on every redirect.
/// </summary>
public sealed class HttpActionProvider : IActionProvider, IDisposable
{
    /// <summary>The action type.</summary>
    public const string ActionType = "http";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Idempotency-Key", "X-Medic-Signature", "X-Medic-Timestamp",
    };
    private readonly HttpActionOptions _options;
    private readonly Destinations _destinations;
    private readonly HttpClient _client;

    /// <summary>Creates the provider with its allow-list.</summary>
    public HttpActionProvider(HttpActionOptions options)
    {
        _options = options;
        _destinations = new Destinations(options.Allow);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = ConnectAsync, UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request.Params, out var url) is { } problem)
        {
            return ActionResult.Fail(problem);
        }

        var method = (request.Params.GetValueOrDefault("method") as string ?? "POST").ToUpperInvariant();
        var body = request.Params.GetValueOrDefault("body") switch
        {
            null => null,
            string text => text,
            var tree => PlainTree.ToJson(tree)!.ToJsonString(),
        };
        var log = new List<string>();
        var origin = url!;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var message = Build(method, url!, body, request, sameOrigin: hop == 0 || IsSameOrigin(url!, origin));
                using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = new Uri(url!, location);
                    if (hop >= _options.MaxRedirects || next.Scheme is not ("http" or "https") || !_destinations.MayTry(next))
                    {
                        return ActionResult.Fail($"{url} redirected to {next}, which is not an allowed destination ({_destinations})", log);
                    }

                    log.Add($"{(int)response.StatusCode} redirect to {next}");
                    (url, method, body) = ((int)response.StatusCode is 307 or 308) ? (next, method, body) : (next, "GET", null);
                    continue;
                }

                var text = await ReadAsync(response, cancellationToken);
                var output = new JsonObject { ["status"] = (int)response.StatusCode, ["body"] = ParseOrText(text) };
                log.Add($"{method} {url} answered {(int)response.StatusCode}");
                return response.IsSuccessStatusCode ? ActionResult.Ok(output, log)
                    : (int)response.StatusCode is 408 or 429 or >= 500 ? new ActionResult(false, output, $"{method} {url} answered {(int)response.StatusCode}", true, log)
                    : new ActionResult(false, output, $"{method} {url} answered {(int)response.StatusCode}", false, log);
            }
        }
        catch (HttpRequestException e) when (e.InnerException is DestinationRefusedException refused)
        {
            return ActionResult.Fail(refused.Message, log);
        }
        catch (HttpRequestException e)
        {
            return ActionResult.Transient($"{method} {url}: {e.Message}", log);
        }
    }

    /// <summary>
    /// The request. The step's headers and signature go only to the origin the step named: a
    /// redirect elsewhere (allowed as it may be) gets neither, so credentials never follow it.
    /// </summary>
    private HttpRequestMessage Build(string method, Uri url, string? body, ActionRequest request, bool sameOrigin)
    {
        var message = new HttpRequestMessage(new HttpMethod(method), url);
        message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        message.Headers.UserAgent.ParseAdd("medic/1.0");
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8, body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('[') ? "application/json" : "text/plain");
        }

        if (!sameOrigin)
        {
            return message;
        }

        foreach (var (name, value) in request.Params.GetValueOrDefault("headers") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>())
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            if (!message.Headers.TryAddWithoutValidation(name, text))
            {
                message.Content?.Headers.Remove(name);
                message.Content?.Headers.TryAddWithoutValidation(name, text);
            }
        }

        if (request.Params.GetValueOrDefault("hmac") is string secretName && _options.Secrets.TryGetValue(secretName, out var secret))
        {
            var timestamp = request.RequestedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
            message.Headers.TryAddWithoutValidation("X-Medic-Timestamp", timestamp);
            message.Headers.TryAddWithoutValidation("X-Medic-Signature", $"sha256={Convert.ToHexStringLower(signature)}");
        }

        return message;
    }

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters)
    {
        if (parameters.Keys.Except(["method", "url", "headers", "body", "hmac"]).FirstOrDefault() is { } unknown)
        {
            yield return $"params.{unknown}: unknown parameter; http takes method, url, headers, body and hmac";
        }

        if (parameters.GetValueOrDefault("method") is string method && !Methods.Contains(method.ToUpperInvariant()))
        {
            yield return $"params.method: '{method}' is not one of {string.Join(", ", Methods)}";
        }

        if (parameters.GetValueOrDefault("url") is not string text || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"params.url: '{parameters.GetValueOrDefault("url")}' is not an absolute http or https URL";
        }
        else if (url.UserInfo.Length > 0)
        {
            yield return "params.url: credentials in the URL are refused; put them in a header";
        }

        if (parameters.GetValueOrDefault("headers") is { } headers and not IReadOnlyDictionary<string, object?>)
        {
            yield return "params.headers: a mapping of header names to values";
        }

        foreach (var (name, value) in parameters.GetValueOrDefault("headers") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>())
        {
            var headerValue = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            if (name.Length == 0 || name.Any(c => c is '\r' or '\n' or ':' || char.IsWhiteSpace(c)) || headerValue.Any(c => c is '\r' or '\n' or '\0'))
            {
                yield return $"params.headers: header '{name.ReplaceLineEndings(" ")}' has a line break or invalid character in its name or value; refused";
            }
            else if (ReservedHeaders.Contains(name))
            {
                yield return $"params.headers: '{name}' is set by Medic from the URL and body; a step may not set it";
            }
        }
    }

    private string? Validate(IReadOnlyDictionary<string, object?> parameters, out Uri? url)
    {
        url = null;
        if (Shape(parameters).FirstOrDefault() is { } problem)
        {
            return problem;
        }

        if (_destinations.IsEmpty)
        {
            return "http actions are off: list the destinations they may reach in actions.http.allow in medic.yaml";
        }

        url = new Uri((string)parameters["url"]!, UriKind.Absolute);
        if (!_destinations.MayTry(url))
        {
            return $"params.url: {url.IdnHost} is not an allowed destination ({_destinations})";
        }

        if (parameters.GetValueOrDefault("hmac") is string secret && !_options.Secrets.ContainsKey(secret))
        {
            return $"params.hmac: no secret named '{secret}' in actions.http.secrets";
        }

        return null;
    }

    /// <summary>Connects to an address the allow-list accepts; the address checked is the address used.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _options.Resolve(host, cancellationToken);
        var allowed = _destinations.TrustsName(host) ? addresses : addresses.Where(_destinations.Allows).ToArray();
        if (allowed.Length == 0)
        {
            throw new DestinationRefusedException($"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, outside the allowed destinations ({_destinations})");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[_options.MaxResponseBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static JsonNode? ParseOrText(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>The connection was refused by the allow-list.</summary>
    private sealed class DestinationRefusedException(string message) : IOException(message);
}
