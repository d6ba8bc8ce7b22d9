using System.Text.Json;
using Medic.Core.Json;

namespace Medic.Core.Storage;

/// <summary>Settings as objects, in Medic's JSON form.</summary>
public static class SettingsStoreJson
{
    /// <summary>The setting read as a <typeparamref name="T"/>, or null when it was never set.</summary>
    public static async Task<T?> GetJsonAsync<T>(this ISettingsStore store, string key, CancellationToken cancellationToken)
        where T : class =>
        await store.GetAsync(key, cancellationToken) is { } json ? JsonSerializer.Deserialize<T>(json, MedicJson.Options) : null;

    /// <summary>Sets the setting to <paramref name="value"/>.</summary>
    public static Task SetJsonAsync<T>(this ISettingsStore store, string key, T value, CancellationToken cancellationToken) =>
        store.SetAsync(key, JsonSerializer.Serialize(value, MedicJson.Options), cancellationToken);
}
