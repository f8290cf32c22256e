using Cib.Client;
using Cib.Grains;
using Cib.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.EndToEnd.Tests;

/// <summary>A silo on a free loopback port over a temporary data folder, restartable on the same folder.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private WebApplication? _app;

    private TestSilo(string dataDirectory, Action<CibOptions>? configure)
    {
        DataDirectory = dataDirectory;
        Configure = configure;
    }

    public string DataDirectory { get; }

    public Action<CibOptions>? Configure { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>A key with every role, made on first start.</summary>
    public string? Key { get; private set; }

    public CibClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static async Task<TestSilo> StartAsync(Action<CibOptions>? configure = null, string? dataDirectory = null)
    {
        var silo = new TestSilo(dataDirectory ?? Path.Combine(Path.GetTempPath(), "cib-test-" + Guid.NewGuid().ToString("N")), configure);
        await silo.StartInternalAsync();
        return silo;
    }

    public async Task RestartAsync()
    {
        await StopInternalAsync();
        await StartInternalAsync();
    }

    private async Task StartInternalAsync()
    {
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = DataDirectory, Urls = "http://127.0.0.1:0" }, Configure);
        await _app.StartAsync();
        Address = _app.Address();
        var keys = _app.Services.GetRequiredService<Cib.Silo.Security.ApiKeyStore>();
        Key ??= (await keys.CreateAsync("tests", Cib.Grains.Interfaces.Roles.All, "tests")).Key;
        Client = new CibClient(Address, Key);
    }

    private async Task StopInternalAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopInternalAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
