using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemorySettingsStore : ISettingsStore
{
    private readonly Dictionary<string, string> _values = [];

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(_values.GetValueOrDefault(key));

    public Task SetAsync(string key, string json, CancellationToken cancellationToken)
    {
        _values[key] = json;
        return Task.CompletedTask;
    }
}
