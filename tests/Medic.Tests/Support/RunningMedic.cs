using System.Diagnostics;
using System.Threading.Channels;

namespace Medic.Tests.Support;

/// <summary>The built medic executable running in the background, its output read line by line; killed on dispose.</summary>
internal sealed class RunningMedic : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private RunningMedic(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Forward(e.Data);
        _process.ErrorDataReceived += (_, e) => Forward(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_seen)
            {
                return string.Join('\n', _seen);
            }
        }
    }

    public static RunningMedic Start(params string[] args) => new(Process.Start(MedicProcess.StartInfo(args))!);

    /// <summary>The first line (from now on) that contains <paramref name="text"/>; fails when the process ends first.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(guard.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new InvalidOperationException($"medic never printed '{text}'; it printed:\n{Output}");
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Forward(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }

        lock (_seen)
        {
            _seen.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }
}
