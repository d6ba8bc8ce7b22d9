using Spectre.Console;

namespace Medic.Tests.Support;

/// <summary>A console that writes plain lines to a string, to print in the test output.</summary>
internal sealed class TestConsole
{
    private readonly StringWriter _writer = new();

    public TestConsole() => Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(_writer),
    });

    public IAnsiConsole Console { get; }

    public override string ToString() => _writer.ToString();
}
