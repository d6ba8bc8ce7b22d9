namespace Medic.Core.Workflows.Kubernetes;

/// <summary>The Kubernetes API refused a call; <see cref="StatusCode"/> is the HTTP status it answered with.</summary>
public sealed class KubernetesApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubernetesApiException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception.</summary>
    public KubernetesApiException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public KubernetesApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status (404 not found, 409 conflict, 429 too many requests or a PDB refusal, ...).</summary>
    public int StatusCode { get; }

    /// <summary>Whether trying again may succeed.</summary>
    public bool Retryable => StatusCode is 409 or 429 or >= 500;
}
