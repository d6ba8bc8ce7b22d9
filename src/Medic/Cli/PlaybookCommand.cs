using System.CommandLine;
using Medic.Adapters.Playbooks;
using Medic.Composition;
using Medic.Core.Playbooks;

namespace Medic.Cli;

/// <summary><c>medic playbook validate [DIR]</c> and <c>medic playbook test FILE --event EVENT.json</c>.</summary>
internal static class PlaybookCommand
{
    public static Command Create() => new("playbook", "Check playbooks, and try one against an event without running anything.")
    {
        Validate(),
        PlaybookTestCommand.Create(),
    };

    private static Command Validate()
    {
        var directory = new Argument<string>("directory") { Description = "The playbook directory.", DefaultValueFactory = _ => "playbooks" };
        var validate = new Command("validate", "Check every playbook file the way the server loads them; exit 1 if any is rejected.") { directory };
        validate.SetAction(async (result, cancellationToken) =>
        {
            var snapshot = await new DirectoryPlaybookSource(result.GetValue(directory)!).ReadAsync(cancellationToken);
            if (snapshot.Problem is { } problem)
            {
                await Console.Error.WriteLineAsync($"rejected {problem}");
                return 1;
            }

            var repository = new PlaybookRepository(MedicServices.ActionTypes);
            repository.Apply(snapshot);
            foreach (var playbook in repository.Playbooks.OrderBy(p => p.Source, StringComparer.Ordinal))
            {
                await Console.Out.WriteLineAsync($"ok       {playbook.Source}: {playbook.Id} (version {playbook.Version}, {playbook.Actions.Count} step(s))");
            }

            foreach (var error in repository.Errors)
            {
                await Console.Error.WriteLineAsync($"rejected {error}");
            }

            return repository.Errors.Count == 0 ? 0 : 1;
        });
        return validate;
    }
}
