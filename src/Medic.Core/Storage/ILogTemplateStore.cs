namespace Medic.Core.Storage;

/// <summary>What the log template miner learned, per partition, so template ids survive restarts.</summary>
public interface ILogTemplateStore
{
    /// <summary>Every partition's saved state (JSON).</summary>
    Task<IReadOnlyDictionary<string, string>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves a partition's state (JSON), replacing the last.</summary>
    Task SaveAsync(string partition, string stateJson, CancellationToken cancellationToken);
}
