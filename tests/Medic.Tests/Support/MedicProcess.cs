using System.Diagnostics;

namespace Medic.Tests.Support;

/// <summary>Runs the built medic executable as a user would, capturing its output.</summary>
internal static class MedicProcess
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"medic {string.Join(' ', args)} did not finish within {timeout}: {await output}{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }

    /// <summary>How to start the built medic with <paramref name="args"/>, from the repository root, its output captured.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Medic.Testing.RepoPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "medic.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
