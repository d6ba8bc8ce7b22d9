using System.CommandLine;
using Medic.Composition;
using Medic.Configuration;
using Medic.Core.Playbooks;

namespace Medic.Cli;

/// <summary><c>medic serve</c>: the server and the loop, without the simulator.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where the HTTP server listens. Default: from the configuration, else http://127.0.0.1:8080." };
        var data = new Option<string?>("--data") { Description = "The SQLite database file. Default: from the configuration, else data/medic.db." };
        var playbooks = new Option<string?>("--playbooks") { Description = "The directory of playbook YAML files. Default: from the configuration, else playbooks." };
        var config = CommonOptions.Config();
        var command = new Command("serve", "Run the Medic server: the REST API and the whole loop, on the embedded default (in-process bus, SQLite).")
        {
            urls, data, playbooks, config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new MedicOptions();
            if (CommonOptions.ConfigFile(result.GetValue(config)) is { } configPath)
            {
                var errors = MedicConfig.Apply(configPath, options);
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                if (errors.Count > 0)
                {
                    return 1;
                }
            }

            options.Urls = result.GetValue(urls) ?? options.Urls;
            options.DataPath = result.GetValue(data) ?? options.DataPath;
            options.PlaybooksDirectory = result.GetValue(playbooks) ?? options.PlaybooksDirectory;
            await using var app = MedicServer.Build(options);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"medic serve: cannot listen on {options.Urls}: {e.Message} Pass --urls http://127.0.0.1:PORT with a free port.");
                return 1;
            }

            var repository = app.Services.GetRequiredService<PlaybookRepository>();
            foreach (var error in repository.Errors)
            {
                await Console.Error.WriteLineAsync($"playbook rejected: {error}");
            }

            await Console.Out.WriteLineAsync($"medic: {repository.Playbooks.Count} playbook(s) in force ({repository.Revision}); data in {options.DataPath}; listening on {string.Join(", ", app.Urls)}");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
