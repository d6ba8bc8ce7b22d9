namespace Medic.Adapters.Actions.Http;

/// <summary>Where HTTP actions may go (<c>actions.http</c> in medic.yaml). With an empty allow-list, HTTP actions are off.</summary>
public sealed class HttpActionOptions
{
    /// <summary>
    /// Allowed destinations: host names (<c>hooks.example.com</c>), host suffixes (<c>*.example.com</c>)
    /// and address ranges (<c>10.0.0.0/8</c>, <c>127.0.0.1</c>). A named host is trusted whatever it
    /// resolves to; any other host is allowed only when the address actually connected to is in a
    /// listed range. Redirects are followed only to allowed destinations. Default: none.
    /// </summary>
    public IReadOnlyList<string> Allow { get; set; } = [];

    /// <summary>Named HMAC secrets a step can sign with (<c>hmac: name</c>).</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Most response body kept. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Most redirects followed. Default 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Resolves host names (replaceable in tests). Default: the system resolver.</summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>> Resolve { get; set; } = System.Net.Dns.GetHostAddressesAsync;
}
