using System.CommandLine;
using Medic.Core.Playbooks;
using Medic.Core.Workflows.Kubernetes;

namespace Medic.Cli;

/// <summary><c>medic playbook validate [DIR]</c>: checks playbook files the way the server loads them.</summary>
internal static class PlaybookCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("directory") { Description = "The playbook directory.", DefaultValueFactory = _ => "playbooks" };
        var validate = new Command("validate", "Check every playbook file; exit 1 if any is rejected.") { directory };
        validate.SetAction(result =>
        {
            var catalog = new PlaybookCatalog();
            catalog.Load(result.GetValue(directory)!, new HashSet<string>(StringComparer.Ordinal) { KubernetesCallProvider.ActionType });
            foreach (var playbook in catalog.Playbooks)
            {
                Console.WriteLine($"ok       {playbook.Source}: {playbook.Id} (version {playbook.Version}, {playbook.Actions.Count} step(s))");
            }

            foreach (var error in catalog.Errors)
            {
                Console.Error.WriteLine($"rejected {error}");
            }

            return catalog.Errors.Count == 0 ? 0 : 1;
        });
        return new Command("playbook", "Work with playbooks.") { validate };
    }
}
