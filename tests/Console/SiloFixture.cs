using Cib.Client;
using Cib.Grains;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Cib.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Console.Tests;

/// <summary>A silo in a temporary folder on a free port, with a client holding every role, removed afterwards.</summary>
public abstract class SiloFixture : IAsyncLifetime
{
    private readonly string _dir;
    private WebApplication _app = null!;

    protected SiloFixture(string name) => _dir = Path.Combine(Path.GetTempPath(), $"cib-{name}-" + Guid.NewGuid().ToString("N"));

    public Uri Address { get; private set; } = null!;

    /// <summary>A client with every role, for the tests' own reading of the API.</summary>
    public CibClient Api { get; private set; } = null!;

    /// <summary>Creates a key for <paramref name="roles"/>.</summary>
    protected async Task<string> KeyAsync(string name, IReadOnlyList<string> roles) =>
        (await _app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(name, roles, "tests")).Key;

    /// <summary>Starts the silo with <paramref name="configure"/> applied to its options.</summary>
    protected async Task StartAsync(Action<CibOptions> configure)
    {
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0" }, configure);
        await _app.StartAsync();
        Address = _app.Address();
        Api = new CibClient(Address, await KeyAsync("tests", Roles.All));
    }

    public abstract Task InitializeAsync();

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
