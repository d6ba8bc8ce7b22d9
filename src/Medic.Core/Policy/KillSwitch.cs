using Medic.Core.Audit;
using Medic.Core.Storage;

namespace Medic.Core.Policy;

/// <summary>
/// The kill switches: one global, one per playbook. The global one is engaged by the API (or
/// CLI), by the <c>MEDIC_KILL_SWITCH</c> environment variable, or by a file's existence; the
/// API cannot release what the environment or the file holds. Every change is audited.
/// </summary>
public sealed class KillSwitch(ISettingsStore settings, IAuditLog audit, TimeProvider clock, KillSwitchOptions options) : IDisposable
{
    private const string GlobalKey = "killswitch";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, KillSwitchState> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <summary>The global kill switch, whichever way it is held.</summary>
    public async Task<KillSwitchState> GetAsync(CancellationToken cancellationToken)
    {
        if (options.ReadEnvironment(KillSwitchOptions.EnvironmentVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "on" or "yes")
        {
            return new KillSwitchState(true, "environment", $"{KillSwitchOptions.EnvironmentVariable} is set", null) { Source = "environment" };
        }

        if (options.File is { } file && File.Exists(file))
        {
            var reason = File.ReadLines(file).FirstOrDefault() is { Length: > 0 } line ? line : $"{file} exists";
            return new KillSwitchState(true, "file", reason, File.GetLastWriteTimeUtc(file)) { Source = "file" };
        }

        return await ReadAsync(GlobalKey, cancellationToken);
    }

    /// <summary>The kill switch of one playbook.</summary>
    public Task<KillSwitchState> GetAsync(string playbookId, CancellationToken cancellationToken) =>
        ReadAsync(PlaybookKey(playbookId), cancellationToken);

    /// <summary>Turns the global switch, or a playbook's (<paramref name="playbookId"/>), on or off; audited.</summary>
    public async Task<KillSwitchState> SetAsync(bool engaged, string by, string? reason, CancellationToken cancellationToken, string? playbookId = null)
    {
        var key = playbookId is null ? GlobalKey : PlaybookKey(playbookId);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var state = new KillSwitchState(engaged, by, reason, clock.GetUtcNow());
            await settings.SetJsonAsync(key, state, cancellationToken);
            _cache[key] = state;
            await audit.AppendAsync(by, engaged ? "killswitch.engaged" : "killswitch.released", key, state, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }

        return playbookId is null ? await GetAsync(cancellationToken) : await GetAsync(playbookId, cancellationToken);
    }

    private async Task<KillSwitchState> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var state = await settings.GetJsonAsync<KillSwitchState>(key, cancellationToken) ?? KillSwitchState.Off;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _cache.TryAdd(key, state);
            return _cache[key];
        }
        finally
        {
            _lock.Release();
        }
    }

    private static string PlaybookKey(string playbookId) => $"{GlobalKey}:playbook:{playbookId}";
}
