namespace Medic.Core.Storage;

/// <summary>Small named settings that must survive a restart (the kill switch, for one).</summary>
public interface ISettingsStore
{
    /// <summary>The setting's JSON value, or null when it was never set.</summary>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sets the setting's JSON value.</summary>
    Task SetAsync(string key, string json, CancellationToken cancellationToken);
}
