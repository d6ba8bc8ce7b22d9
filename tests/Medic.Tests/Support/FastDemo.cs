using Medic.Demo;
using Medic.Testing;

namespace Medic.Tests.Support;

/// <summary>Demo settings for tests: a free port, a private database, no wall-clock pauses.</summary>
internal static class FastDemo
{
    public static DemoOptions Options(TempDirectory dir) => new()
    {
        Urls = "http://127.0.0.1:0",
        DataPath = dir.File("demo.db"),
        PlaybooksDirectory = RepoPaths.Playbooks,
        TickDelay = TimeSpan.Zero,
        ApprovalPause = TimeSpan.Zero,
        Duration = TimeSpan.FromMinutes(5),
    };
}
