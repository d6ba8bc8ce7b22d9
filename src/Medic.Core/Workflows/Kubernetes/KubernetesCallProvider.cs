using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>
/// The <c>kubernetes_api_call</c> action: get, list, rollout_restart, scale, rollback, cordon,
/// uncordon, drain and delete_pod, built on <see cref="IKubernetesApi"/>. Mutating verbs carry the
/// step's idempotency key in an annotation, so a repeated step finds its own mark and does nothing.
/// </summary>
public sealed partial class KubernetesCallProvider(IKubernetesApi api, TimeProvider clock) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "kubernetes_api_call";

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var (call, errors) = KubernetesCall.Parse(request.Params);
        if (call is null)
        {
            return ActionResult.Fail(string.Join("; ", errors));
        }

        var log = new List<string>();
        try
        {
            var output = call.Verb switch
            {
                "get" => await GetAsync(call, cancellationToken),
                "list" => new JsonObject { ["items"] = new JsonArray([.. (await api.ListAsync(call.Kind, call.Namespace, null, cancellationToken)).Select(o => (JsonNode)o.DeepClone())]) },
                "rollout_restart" => await RestartAsync(call, request.IdempotencyKey, log, cancellationToken),
                "scale" => await ScaleAsync(call, log, cancellationToken),
                "rollback" => await RollbackAsync(call, request.IdempotencyKey, log, cancellationToken),
                "cordon" or "uncordon" => await CordonAsync(call.Name!, call.Verb == "cordon", log, cancellationToken),
                "drain" => await DrainAsync(call.Name!, log, cancellationToken),
                "delete_pod" => await DeletePodAsync(call, log, cancellationToken),
                _ => throw new InvalidOperationException($"verb '{call.Verb}' passed validation but has no handler"),
            };
            return ActionResult.Ok(output, log);
        }
        catch (KubernetesActionException e)
        {
            return ActionResult.Fail(e.Message, log);
        }
        catch (KubernetesApiException e)
        {
            var error = $"{call}: the API answered {e.StatusCode}: {e.Message}";
            return e.Retryable ? ActionResult.Transient(error, log) : ActionResult.Fail(error, log);
        }
        catch (HttpRequestException e)
        {
            return ActionResult.Transient($"{call}: cannot reach the API server: {e.Message}", log);
        }
    }

    private async Task<JsonObject> GetAsync(KubernetesCall call, CancellationToken cancellationToken) =>
        await api.GetAsync(call.Kind, call.Namespaced ? call.Namespace : null, call.Name!, cancellationToken)
            ?? throw new KubernetesActionException($"{call.Kind.ToLowerInvariant()} {call.Namespace}/{call.Name} not found");

    private async Task<JsonObject> DeletePodAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        var pod = await GetAsync(call, cancellationToken);
        await api.DeleteAsync("Pod", call.Namespace, call.Name!, cancellationToken);
        log.Add($"deleted pod {call.Namespace}/{call.Name}");
        return pod;
    }

    /// <summary>A step that cannot succeed as asked (not retryable).</summary>
    private sealed class KubernetesActionException(string message) : Exception(message);
}
