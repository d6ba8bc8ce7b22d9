using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemoryLogTemplateStore : ILogTemplateStore
{
    public Dictionary<string, string> States { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, string>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(States));

    public Task SaveAsync(string partition, string stateJson, CancellationToken cancellationToken)
    {
        States[partition] = stateJson;
        return Task.CompletedTask;
    }
}
