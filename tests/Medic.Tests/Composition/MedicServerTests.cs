using Medic.Composition;
using Medic.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Medic.Tests.Composition;

/// <summary>The host Medic's server is built on: nothing read from or watched in the directory medic was started in.</summary>
public sealed class MedicServerTests
{
    [Fact]
    public async Task The_server_neither_reads_nor_watches_the_working_directory()
    {
        using var dir = new TempDirectory();
        await using var app = MedicServer.Build(new MedicOptions { Urls = "http://127.0.0.1:0", OtlpGrpcUrl = "", DataPath = dir.File("medic.db"), LogLevel = LogLevel.Warning });

        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(app.Environment.ContentRootPath));
        var files = ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>().ToList();
        Assert.All(files, source => Assert.False(source.ReloadOnChange, $"{source.Path} is watched for changes"));
    }
}
