using System.Text.RegularExpressions;

namespace Medic.Core.Logs;

/// <summary>Replaces every match of each pattern, in order, with <c>&lt;*&gt;</c>, as logparser's preprocessing does.</summary>
public sealed class RegexMasker
{
    private readonly Regex[] _patterns;

    /// <summary>Compiles the patterns; throws <see cref="FormatException"/> naming the one that is not valid.</summary>
    public RegexMasker(IEnumerable<string> patterns)
    {
        _patterns = patterns.Select(p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"mask '{p}' is not a valid regular expression: {e.Message}", e);
            }
        }).ToArray();
    }

    /// <summary>The message with every match replaced.</summary>
    public string Mask(string message)
    {
        foreach (var pattern in _patterns)
        {
            try
            {
                message = pattern.Replace(message, "<*>");
            }
            catch (RegexMatchTimeoutException)
            {
                // Too tangled to mask in time: the message goes on with this mask not applied.
            }
        }

        return message;
    }
}
