using System.Net;

namespace Medic.Adapters.Actions.Http;

/// <summary>The allow-list of HTTP destinations: names, suffixes and address ranges.</summary>
internal sealed class Destinations
{
    private readonly List<string> _names = [];
    private readonly List<string> _suffixes = [];
    private readonly List<(IPAddress Network, int Prefix)> _ranges = [];

    public Destinations(IEnumerable<string> entries)
    {
        foreach (var entry in entries.Select(e => e.Trim().ToLowerInvariant()))
        {
            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(entry[1..]);
            }
            else if (IPNetwork.TryParse(entry.Contains('/', StringComparison.Ordinal) ? entry : $"{entry}/{(IPAddress.TryParse(entry, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}", out var network))
            {
                _ranges.Add((network.BaseAddress, network.PrefixLength));
            }
            else
            {
                _names.Add(entry);
            }
        }
    }

    public bool IsEmpty => _names.Count + _suffixes.Count + _ranges.Count == 0;

    /// <summary>Whether the host is trusted by name (so whatever it resolves to is fine).</summary>
    public bool TrustsName(string host)
    {
        var h = host.ToLowerInvariant().TrimEnd('.');
        return _names.Contains(h) || _suffixes.Any(s => h.EndsWith(s, StringComparison.Ordinal) && h.Length > s.Length);
    }

    /// <summary>Whether the address is in an allowed range.</summary>
    public bool Allows(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _ranges.Any(r => new IPNetwork(r.Network, r.Prefix).Contains(a));
    }

    /// <summary>Whether a URL may be requested at all: a trusted name, or an address literal in range, or a name that must resolve into range.</summary>
    public bool MayTry(Uri url) =>
        TrustsName(url.IdnHost) || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) ? Allows(literal) : _ranges.Count > 0);

    public override string ToString() => string.Join(", ", _names.Concat(_suffixes.Select(s => "*" + s)).Concat(_ranges.Select(r => $"{r.Network}/{r.Prefix}")));
}
