using System.Diagnostics;

namespace Medic.Core.Tests.Support;

/// <summary>
/// Debian's <c>/usr/bin/python3</c> with the scientific packages the test command installs
/// (python3-statsmodels, python3-sklearn): the reference implementations Medic's algorithms are checked against.
/// </summary>
internal static class DebianPython
{
    private const string Program = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> on standard input; returns standard output, or fails with what went wrong.</summary>
    public static async Task<string> RunAsync(string script, string input)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: ./test.sh installs python3, python3-statsmodels and python3-sklearn");
        }

        var start = new ProcessStartInfo(Program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{Program} failed ({process.ExitCode}): {await error} (./test.sh installs python3-statsmodels and python3-sklearn)");
    }
}
