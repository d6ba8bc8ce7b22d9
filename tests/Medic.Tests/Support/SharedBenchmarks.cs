using Medic.Testing;

namespace Medic.Tests.Support;

/// <summary>
/// The public benchmark data (NAB, Loghub, RCA cases) that lives beside the repository in
/// <c>../shared/benchmarks</c>, or where <c>MEDIC_BENCHMARKS</c> points. It is read in place, never copied.
/// </summary>
internal static class SharedBenchmarks
{
    /// <summary>The folder of one benchmark, e.g. <c>nab</c>; a test fails with where it looked when it is missing.</summary>
    public static string Folder(string name)
    {
        var root = Environment.GetEnvironmentVariable("MEDIC_BENCHMARKS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoPaths.Root, "..", "shared", "benchmarks");
        var folder = Path.GetFullPath(Path.Combine(root, name));
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException($"benchmark data {folder} is missing: put the shared benchmarks beside the repository (../shared/benchmarks) or set MEDIC_BENCHMARKS");
    }
}
