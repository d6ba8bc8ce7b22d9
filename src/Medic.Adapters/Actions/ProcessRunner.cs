using System.Diagnostics;
using System.Text;

namespace Medic.Adapters.Actions;

/// <summary>
/// Runs a program with an argument vector (never through a shell), a clean environment, a capped
/// output and cancellation that kills the whole process tree. Shared by the shell and Ansible actions.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>How long output is still read after the program has exited.</summary>
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(5);

    /// <summary>What the program did.</summary>
    public sealed record Result(int ExitCode, string Output, string Errors, bool Truncated);

    public static async Task<Result> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string? workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        int maxOutputBytes,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the action allows reaches the program: no inherited secrets.
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = ReadCappedAsync(process.StandardOutput, maxOutputBytes, reading.Token);
        var errors = ReadCappedAsync(process.StandardError, maxOutputBytes, reading.Token);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // A background child can keep the pipes open after the program exits; its output is not
        // the program's, and waiting for it would hold the step for ever.
        reading.CancelAfter(DrainAfterExit);
        var (text, cut) = await output;
        var (errorText, errorCut) = await errors;
        cancellationToken.ThrowIfCancellationRequested();
        return new Result(process.ExitCode, text, errorText, cut || errorCut);
    }

    /// <summary>Reads a stream to its end, keeping at most <paramref name="max"/> characters (the last ones, where the outcome usually is).</summary>
    private static async Task<(string Text, bool Truncated)> ReadCappedAsync(StreamReader reader, int max, CancellationToken cancellationToken)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        var truncated = false;
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                kept.Append(buffer, 0, read);
                if (kept.Length > max)
                {
                    kept.Remove(0, kept.Length - max);
                    truncated = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped waiting: keep what was read.
        }

        return (kept.ToString(), truncated);
    }
}
