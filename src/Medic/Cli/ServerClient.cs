using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Core.Json;

namespace Medic.Cli;

/// <summary>
/// Talks to a running Medic server for the commands that act on it (approve, reject, killswitch,
/// silence, train), with the API token in <c>MEDIC_TOKEN</c> when sign-in is on (the token's name is then the actor).
/// </summary>
internal sealed class ServerClient : IDisposable
{
    /// <summary>The environment variable that holds the API token.</summary>
    public const string TokenVariable = "MEDIC_TOKEN";

    private readonly HttpClient _http;

    /// <summary>A client of the Medic server at <paramref name="server"/>, with the token from <c>MEDIC_TOKEN</c>.</summary>
    /// <param name="server">The server's base address.</param>
    /// <param name="timeout">How long to wait for an answer; default 30 seconds.</param>
    public ServerClient(string server, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = new Uri(server.EndsWith('/') ? server : server + "/"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Posts <paramref name="body"/>; prints the outcome; returns the exit code.</summary>
    public Task<int> PostAsync(string path, object body, Func<JsonNode, string> describe, CancellationToken cancellationToken) =>
        SendAsync(() => _http.PostAsJsonAsync(path, body, MedicJson.Options, cancellationToken), describe, cancellationToken);

    /// <summary>Deletes <paramref name="path"/>; prints the outcome; returns the exit code.</summary>
    public Task<int> DeleteAsync(string path, Func<JsonNode, string> describe, CancellationToken cancellationToken) =>
        SendAsync(() => _http.DeleteAsync(path, cancellationToken), describe, cancellationToken);

    private async Task<int> SendAsync(Func<Task<HttpResponseMessage>> send, Func<JsonNode, string> describe, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"medic: cannot reach the Medic server at {_http.BaseAddress}: {e.Message}. Is it running? Pass --server URL.");
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"medic: the Medic server at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} seconds; it may still finish the request (check its log).");
            return 1;
        }

        using (response)
        {
            var node = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken) is { Length: > 0 } text ? text : "{}")!;
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"medic: {(int)response.StatusCode} {node["title"]}: {node["detail"]}");
                return 1;
            }

            await Console.Out.WriteLineAsync(describe(node));
            return 0;
        }
    }

    /// <summary>Gets <paramref name="path"/>; prints it; returns the exit code.</summary>
    public async Task<int> GetAsync(string path, Func<JsonNode, string> describe, CancellationToken cancellationToken)
    {
        try
        {
            var node = await _http.GetFromJsonAsync<JsonNode>(path, cancellationToken);
            await Console.Out.WriteLineAsync(describe(node!));
            return 0;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"medic: {_http.BaseAddress}{path}: {e.Message}");
            return 1;
        }
    }

    /// <summary>A time the server sent, for people: <c>2026-11-26 21:48 UTC</c>.</summary>
    public static string Time(JsonNode? node) =>
        node is null ? "?" : DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
