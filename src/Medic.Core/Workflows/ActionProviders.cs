namespace Medic.Core.Workflows;

/// <summary>The action providers by type.</summary>
public sealed class ActionProviders(IEnumerable<IActionProvider> providers)
{
    private readonly Dictionary<string, IActionProvider> _byType = providers.ToDictionary(p => p.Type, StringComparer.Ordinal);

    /// <summary>The known action types, each with the check of its parameters.</summary>
    public IReadOnlyDictionary<string, ParameterCheck> Checks => _byType.ToDictionary(p => p.Key, p => (ParameterCheck)p.Value.CheckParameters, StringComparer.Ordinal);

    /// <summary>The provider for <paramref name="type"/>, or null.</summary>
    public IActionProvider? Find(string type) => _byType.GetValueOrDefault(type);
}
