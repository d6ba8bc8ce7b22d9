using System.CommandLine;

namespace Medic.Cli;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Urls() => new("--urls")
    {
        Description = "Where the HTTP server listens.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    public static Option<string> Data(string defaultPath) => new("--data")
    {
        Description = "The SQLite database file.",
        DefaultValueFactory = _ => defaultPath,
    };

    public static Option<string> Playbooks() => new("--playbooks")
    {
        Description = "The directory of playbook YAML files.",
        DefaultValueFactory = _ => "playbooks",
    };
}
