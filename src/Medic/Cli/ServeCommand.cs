using System.CommandLine;
using Medic.Composition;
using Medic.Core.Playbooks;

namespace Medic.Cli;

/// <summary><c>medic serve</c>: the server and the loop, without the simulator.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = CommonOptions.Urls();
        var data = CommonOptions.Data(Path.Combine("data", "medic.db"));
        var playbooks = CommonOptions.Playbooks();
        var command = new Command("serve", "Run the Medic server: the REST API and the whole loop, on the embedded default (in-process bus, SQLite).")
        {
            urls, data, playbooks,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new MedicOptions { Urls = result.GetValue(urls)!, DataPath = result.GetValue(data)!, PlaybooksDirectory = result.GetValue(playbooks)! };
            await using var app = MedicServer.Build(options);
            var catalog = app.Services.GetRequiredService<PlaybookCatalog>();
            foreach (var error in catalog.Errors)
            {
                await Console.Error.WriteLineAsync($"playbook rejected: {error}");
            }

            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"medic serve: cannot listen on {options.Urls}: {e.Message} Pass --urls http://127.0.0.1:PORT with a free port.");
                return 1;
            }

            await Console.Out.WriteLineAsync($"medic: {catalog.Playbooks.Count} playbook(s) loaded from {options.PlaybooksDirectory}; data in {options.DataPath}; listening on {string.Join(", ", app.Urls)}");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
