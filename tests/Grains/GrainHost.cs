using Cib.Grains;
using Cib.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cib.Grains.Tests;

/// <summary>A silo in the test process with the project's grains on a SQLite file, restartable.</summary>
public sealed class GrainHost : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-grains-" + Guid.NewGuid().ToString("N"));
    private IHost? _host;
    private SqliteDatabase? _db;

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    public static async Task<GrainHost> StartAsync()
    {
        var h = new GrainHost();
        await h.StartInternalAsync();
        return h;
    }

    public async Task RestartAsync()
    {
        await StopInternalAsync();
        await StartInternalAsync();
    }

    private async Task StartInternalAsync()
    {
        Directory.CreateDirectory(_dir);
        _db = new SqliteDatabase(Path.Combine(_dir, "cib.db"));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new CibOptions { Partitions = 4 }));
        builder.Services.AddSingleton(new Cib.Grains.Audit.AuditLog(_db));
        builder.UseOrleans(silo => silo
            .AddGrainAssembly(typeof(AccountGrain).Assembly)
            .AddSqliteGrainStorage(StorageNames.Detection, _db)
            .UseInMemoryReminderService());
        _host = builder.Build();
        await _host.StartAsync();
    }

    private async Task StopInternalAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
        _db?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopInternalAsync();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
