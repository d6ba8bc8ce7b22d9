using Medic.Demo;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Playwright;

namespace Medic.Tests.Web;

/// <summary>The simulated estate with Medic and its console on a free port, and Debian's Chromium driven by Playwright to look at it.</summary>
internal sealed class ConsoleSession : IAsyncDisposable
{
    /// <summary>Debian's Chromium (the test command installs it); Playwright downloads no browser.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private readonly TempDirectory _dir;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleSession(TempDirectory dir, TestConsole console, SimulatedMedic medic, IPlaywright playwright, IBrowser browser) =>
        (_dir, Console, Medic, _playwright, _browser) = (dir, console, medic, playwright, browser);

    public SimulatedMedic Medic { get; }

    public TestConsole Console { get; }

    public static async Task<ConsoleSession> StartAsync(Action<DemoOptions>? configure = null)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the test command installs Debian's chromium package (./test.sh)");
        var dir = new TempDirectory();
        var console = new TestConsole();
        var options = FastDemo.Options(dir);
        configure?.Invoke(options);
        var medic = await SimulatedMedic.StartAsync(options, console.Console, CancellationToken.None);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return new ConsoleSession(dir, console, medic, playwright, browser);
    }

    /// <summary>A page in a browser context of its own (its own cookies: its own sign-in).</summary>
    public async Task<IPage> PageAsync() => await (await _browser.NewContextAsync()).NewPageAsync();

    /// <summary>The console's address of <paramref name="path"/>.</summary>
    public string Url(string path) => new Uri(Medic.Address, path).ToString();

    /// <summary>Runs the estate on for <paramref name="span"/> of simulated time.</summary>
    public async Task StepsAsync(TimeSpan span)
    {
        for (var until = Medic.Clock.GetUtcNow() + span; Medic.Clock.GetUtcNow() < until;)
        {
            await Medic.StepAsync(TimeSpan.Zero, CancellationToken.None);
        }
    }

    /// <summary>Steps the estate until <paramref name="done"/>, giving work that runs on real time (workflow steps, approvals) a moment each step; false after a simulated hour.</summary>
    public async Task<bool> UntilAsync(Func<Task<bool>> done)
    {
        for (var i = 0; i < 360; i++)
        {
            if (await done())
            {
                return true;
            }

            await StepsAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(20);
        }

        return await done();
    }

    /// <summary>Saves a screenshot of <paramref name="page"/> beside the test output (<c>screenshots/</c>).</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await Medic.DisposeAsync();
        _dir.Dispose();
    }
}
