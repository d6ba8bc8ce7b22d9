namespace Medic.Core.Workflows;

/// <summary>
/// Checks the shape of an action's parameters (names, required ones, value types, known verbs)
/// without touching anything and without configuration, returning each problem as
/// <c>params.NAME: what is wrong and what to write</c>. Playbooks are checked with it when they
/// load, so a misspelt or malformed parameter is an error in the file, not a failed step at 3 AM;
/// values that are templates are checked again by the provider once rendered.
/// </summary>
public delegate IEnumerable<string> ParameterCheck(IReadOnlyDictionary<string, object?> parameters);
