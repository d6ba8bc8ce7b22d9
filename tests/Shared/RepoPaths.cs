namespace Medic.Testing;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the folder holding Medic.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped playbooks.</summary>
    public static string Playbooks => Path.Combine(Root, "playbooks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Medic.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Medic.slnx above {AppContext.BaseDirectory}: tests run from inside the repository.");
    }
}
