namespace Medic.Core.Playbooks;

/// <summary>A template could not be parsed or rendered.</summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException()
    {
    }
}
