namespace Medic.Core.Workflows;

/// <summary>The action providers by type.</summary>
public sealed class ActionProviders(IEnumerable<IActionProvider> providers)
{
    private readonly Dictionary<string, IActionProvider> _byType = providers.ToDictionary(p => p.Type, StringComparer.Ordinal);

    /// <summary>The known action types.</summary>
    public IReadOnlySet<string> Types => _byType.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The provider for <paramref name="type"/>, or null.</summary>
    public IActionProvider? Find(string type) => _byType.GetValueOrDefault(type);
}
