using Medic.Adapters.Playbooks;
using Medic.Core.Policy;

namespace Medic.Composition;

/// <summary>Where Medic keeps its state and listens.</summary>
public sealed class MedicOptions
{
    /// <summary>The SQLite database file. Default <c>data/medic.db</c>.</summary>
    public string DataPath { get; set; } = Path.Combine("data", "medic.db");

    /// <summary>The directory of playbook YAML files. Default <c>playbooks</c>.</summary>
    public string PlaybooksDirectory { get; set; } = "playbooks";

    /// <summary>The addresses the HTTP server listens on. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Playbooks from Git instead of <see cref="PlaybooksDirectory"/>, when set.</summary>
    public GitPlaybookOptions? Git { get; set; }

    /// <summary>How often playbooks are reloaded from their source; zero loads once. Default 30 seconds.</summary>
    public TimeSpan PlaybookReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The safety policy.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>A file whose existence engages the global kill switch. Default <c>KILLSWITCH</c> beside the database.</summary>
    public string? KillSwitchFile { get; set; }

    /// <summary>The least level of log messages written to the console. Default Information.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
