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

    public static Option<string?> Config() => new("--config")
    {
        Description = $"The configuration file. Default: {Medic.Configuration.MedicConfig.DefaultFile} when it exists.",
    };

    /// <summary>The configuration file to read: the one given, or medic.yaml when it exists, or none.</summary>
    public static string? ConfigFile(string? given) =>
        given ?? (File.Exists(Medic.Configuration.MedicConfig.DefaultFile) ? Medic.Configuration.MedicConfig.DefaultFile : null);

    public static Option<string> By() => new("--by")
    {
        Description = "Who you are, for the record. Default: your user name.",
        DefaultValueFactory = _ => Environment.UserName,
    };

    public static Option<string> Server() => new("--server")
    {
        Description = "The Medic server.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    public static Option<string> Playbooks() => new("--playbooks")
    {
        Description = "The directory of playbook YAML files.",
        DefaultValueFactory = _ => "playbooks",
    };
}
