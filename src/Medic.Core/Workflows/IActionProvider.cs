namespace Medic.Core.Workflows;

/// <summary>Carries out one kind of action (<c>kubernetes_api_call</c>, <c>http</c>, ...).</summary>
public interface IActionProvider
{
    /// <summary>The action type playbooks name in a step's <c>type</c>.</summary>
    string Type { get; }

    /// <summary>
    /// Carries out the action. Failures come back as values, classified as retryable or not;
    /// an exception means a bug in the provider.
    /// </summary>
    Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken);

    /// <summary>The shape of the parameters, checked when a playbook loads (see <see cref="ParameterCheck"/>).</summary>
    IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => [];
}
