using Cib.Grains;
using Cib.Grains.Audit;
using Cib.Silo.Security;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Cib.Silo.Api;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cib.Silo;

/// <summary>Builds the silo: the grain runtime on the embedded SQLite store, the signal log and pump, and the HTTP API.</summary>
public static class CibSiloHost
{
    /// <summary>Builds (does not start) a silo.</summary>
    public static WebApplication Build(SiloSettings settings, Action<CibOptions>? configure = null, string[]? args = null)
    {
        settings.Validate();
        // The background threads are shared by every silo in the process (tests host several): the first to start sets it.
        Cib.Runtime.BackgroundThreads.TrySetNiceness(settings.BackgroundNiceness);
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => CibJson.Configure(o.SerializerOptions));

        var options = new CibOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));

        Directory.CreateDirectory(settings.DataDirectory);
        var db = new SqliteDatabase(settings.DatabasePath, settings.StoreBusyTimeout);
        // A factory registration, so the container disposes the database when the silo is disposed: its pooled
        // connections close and the last one checkpoints the WAL, leaving a tidy file behind a graceful stop.
        builder.Services.AddSingleton(_ => db);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IngestAdmission>();
        builder.Services.AddSingleton<SignalLog>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<BootstrapKey>();
        builder.UseOrleans(silo => silo
            .AddGrainAssembly(typeof(AccountGrain).Assembly)
            .AddSqliteGrainStorage(StorageNames.Detection, db)
            .UseSqliteReminderService(db)
            .Configure<ReminderOptions>(o => o.MinimumPeriod = settings.MinimumReminderPeriod ?? o.MinimumPeriod)
            .Configure<SiloOptions>(o => o.ResponseTimeout = settings.ResponseTimeout ?? o.ResponseTimeout));
        // Registered after the runtime so that the runtime is up before the pump calls grains.
        builder.Services.AddSingleton<SignalPump>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SignalPump>());
        builder.Services.AddHostedService<SweepScheduler>();

        var app = builder.Build();
        app.MapCibApi();
        app.MapWebConsole();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        if (keys.IsEmpty())
        {
            // The first run of a silo makes the one key that can make all others; its secret is
            // shown once, by the caller of Build, and stored only as a hash.
            var admin = keys.CreateAsync("admin", [Roles.Admin], "system").GetAwaiter().GetResult();
            app.Services.GetRequiredService<AuditLog>().AppendAsync("system", "key.created", admin.Info.Id, "{\"name\":\"admin\",\"roles\":[\"admin\"]}").GetAwaiter().GetResult();
            app.Services.GetRequiredService<BootstrapKey>().Key = admin.Key;
        }
        return app;
    }

    /// <summary>The address a started silo listens on.</summary>
    public static Uri Address(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}

/// <summary>The admin key created on a silo's first run, to be shown once; null on later runs.</summary>
public sealed class BootstrapKey
{
    /// <summary>The key, or null.</summary>
    public string? Key { get; set; }
}

/// <summary>Registers the sweep's durable reminder once the silo is up.</summary>
internal sealed class SweepScheduler(IGrainFactory grains) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => grains.GetGrain<ISweepGrain>(SweepGrainKeys.Default).StartAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
