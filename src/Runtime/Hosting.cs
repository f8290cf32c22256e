using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Runtime;

/// <summary>Silo settings.</summary>
public sealed class SiloOptions
{
    /// <summary>An activation that processed nothing for this long is deactivated. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for (so collection happens between CollectionAge and CollectionAge + CollectionQuantum). Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A grain call that has not completed after this long fails with <see cref="TimeoutException"/> (the call itself is not cancelled). Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="Grain.OnDeactivateAsync"/> may run before deactivation proceeds without it. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Configures what a silo has: grain assemblies, storage, streams, reminders and options.</summary>
public interface ISiloBuilder
{
    IServiceCollection Services { get; }

    /// <summary>Makes the grain classes of this assembly available.</summary>
    ISiloBuilder AddGrainAssembly(Assembly assembly);

    ISiloBuilder AddMemoryGrainStorage(string name);

    ISiloBuilder AddSqliteGrainStorage(string name, SqliteDatabase database);

    ISiloBuilder AddMemoryStreams(string name);

    ISiloBuilder AddSqliteStreams(string name, SqliteDatabase database);

    ISiloBuilder UseInMemoryReminderService();

    ISiloBuilder UseSqliteReminderService(SqliteDatabase database);

    /// <summary>Configures <see cref="SiloOptions"/>, <see cref="ReminderOptions"/>, <see cref="StreamOptions"/> or any other options.</summary>
    ISiloBuilder Configure<TOptions>(Action<TOptions> configure) where TOptions : class;
}

/// <summary>Adds a silo to a host.</summary>
public static class HostingExtensions
{
    public static IHostApplicationBuilder UseOrleans(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrleans(configure);
        return builder;
    }

    public static IServiceCollection AddOrleans(this IServiceCollection services, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(SiloBuilder)))
        {
            throw new InvalidOperationException("AddOrleans was already called on these services; configure everything in one call.");
        }

        var siloBuilder = new SiloBuilder(services);
        services.AddSingleton(siloBuilder);
        services.AddLogging();
        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, RuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReminderOptions>, RuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamOptions>, RuntimeOptionsValidator>());
        services.AddSingleton(sp => new GrainTypeRegistry(sp.GetRequiredService<SiloBuilder>().Assemblies));
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<ReminderRegistry>();
        services.AddSingleton<ReminderService>();
        services.AddHostedService<Silo>();
        configure(siloBuilder);
        return services;
    }
}

internal sealed record StreamProviderName(string Name);

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    private readonly HashSet<string> _storageNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _streamNames = new(StringComparer.Ordinal);
    private bool _reminders;

    public IServiceCollection Services { get; } = services;

    public List<Assembly> Assemblies { get; } = [];

    public ISiloBuilder AddGrainAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!Assemblies.Contains(assembly))
        {
            Assemblies.Add(assembly);
        }

        return this;
    }

    public ISiloBuilder AddMemoryGrainStorage(string name)
    {
        AddStorageName(name);
        Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new MemoryGrainStorage());
        return this;
    }

    public ISiloBuilder AddSqliteGrainStorage(string name, SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        AddStorageName(name);
        Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new SqliteGrainStorage(database));
        return this;
    }

    public ISiloBuilder AddMemoryStreams(string name)
    {
        AddStreamName(name);
        Services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) => new MemoryStreamProvider(
            name,
            sp.GetRequiredService<GrainRuntime>(),
            sp.GetRequiredService<IOptions<StreamOptions>>().Value,
            sp.GetRequiredService<ILogger<MemoryStreamProvider>>()));
        return this;
    }

    public ISiloBuilder AddSqliteStreams(string name, SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        AddStreamName(name);
        Services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) => new SqliteStreamProvider(
            name,
            sp.GetRequiredService<GrainRuntime>(),
            database,
            sp.GetRequiredService<IOptions<StreamOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteStreamProvider>>()));
        return this;
    }

    public ISiloBuilder UseInMemoryReminderService()
    {
        SetReminders();
        Services.AddSingleton<IReminderTable, MemoryReminderTable>();
        return this;
    }

    public ISiloBuilder UseSqliteReminderService(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        SetReminders();
        Services.AddSingleton<IReminderTable>(_ => new SqliteReminderTable(database));
        return this;
    }

    public ISiloBuilder Configure<TOptions>(Action<TOptions> configure) where TOptions : class
    {
        Services.Configure(configure);
        return this;
    }

    private void AddStorageName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_storageNames.Add(name))
        {
            throw new InvalidOperationException($"A grain storage named \"{name}\" is already registered.");
        }
    }

    private void AddStreamName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_streamNames.Add(name))
        {
            throw new InvalidOperationException($"A stream provider named \"{name}\" is already registered.");
        }

        Services.AddSingleton(new StreamProviderName(name));
    }

    private void SetReminders()
    {
        if (_reminders)
        {
            throw new InvalidOperationException("A reminder service is already configured.");
        }

        _reminders = true;
    }
}

internal sealed class RuntimeOptionsValidator : IValidateOptions<SiloOptions>, IValidateOptions<ReminderOptions>, IValidateOptions<StreamOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(SiloOptions), nameof(options.CollectionAge), options.CollectionAge);
        Positive(errors, nameof(SiloOptions), nameof(options.CollectionQuantum), options.CollectionQuantum);
        Positive(errors, nameof(SiloOptions), nameof(options.ResponseTimeout), options.ResponseTimeout);
        Positive(errors, nameof(SiloOptions), nameof(options.DeactivationTimeout), options.DeactivationTimeout);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(ReminderOptions), nameof(options.PollInterval), options.PollInterval);
        Positive(errors, nameof(ReminderOptions), nameof(options.MinimumPeriod), options.MinimumPeriod);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, StreamOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(StreamOptions), nameof(options.PollInterval), options.PollInterval);
        Positive(errors, nameof(StreamOptions), nameof(options.InitialRedeliveryDelay), options.InitialRedeliveryDelay);
        Positive(errors, nameof(StreamOptions), nameof(options.MaxRedeliveryDelay), options.MaxRedeliveryDelay);
        if (options.BatchSize < 1)
        {
            errors.Add($"StreamOptions.BatchSize must be at least 1 (got {options.BatchSize}).");
        }

        if (options.MaxDeliveryAttempts < 1)
        {
            errors.Add($"StreamOptions.MaxDeliveryAttempts must be at least 1 (got {options.MaxDeliveryAttempts}).");
        }

        if (options.MaxConcurrentStreams < 1)
        {
            errors.Add($"StreamOptions.MaxConcurrentStreams must be at least 1 (got {options.MaxConcurrentStreams}).");
        }

        return Result(errors);
    }

    private static void Positive(List<string> errors, string type, string property, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{type}.{property} must be positive (got {value}).");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}

/// <summary>The silo's lifetime: starts reminders, stream delivery and idle collection; on stop, drains and deactivates.</summary>
internal sealed class Silo : IHostedService
{
    private readonly GrainRuntime _runtime;
    private readonly ReminderService _reminders;
    private readonly IServiceProvider _services;
    private readonly IEnumerable<StreamProviderName> _streamProviderNames;
    private readonly ILogger<Silo> _logger;
    private readonly List<StreamProviderBase> _streamProviders = [];
    private CancellationTokenSource? _stop;
    private Task? _collector;
    private bool _remindersStarted;

    public Silo(GrainRuntime runtime, ReminderService reminders, IServiceProvider services, IEnumerable<StreamProviderName> streamProviderNames, ILogger<Silo> logger)
    {
        _runtime = runtime;
        _reminders = reminders;
        _services = services;
        _streamProviderNames = streamProviderNames;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Reading the options validates them, so a bad setting stops the host at start rather than later.
        var options = _services.GetRequiredService<IOptions<SiloOptions>>().Value;
        _ = _services.GetRequiredService<IOptions<ReminderOptions>>().Value;
        _ = _services.GetRequiredService<IOptions<StreamOptions>>().Value;

        foreach (var name in _streamProviderNames)
        {
            var provider = (StreamProviderBase)_services.GetRequiredKeyedService<IStreamProvider>(name.Name);
            provider.Start();
            _streamProviders.Add(provider);
        }

        if (_services.GetService<IReminderTable>() is not null)
        {
            _reminders.Start();
            _remindersStarted = true;
        }

        _stop = new CancellationTokenSource();
        _collector = Task.Run(() => CollectAsync(options, _stop.Token), CancellationToken.None);
        RuntimeLog.SiloStarted(_logger, _streamProviders.Count, _remindersStarted);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _collector!.ConfigureAwait(false);
        if (_remindersStarted)
        {
            await _reminders.StopAsync().ConfigureAwait(false);
        }

        foreach (var provider in _streamProviders)
        {
            await provider.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        var count = _runtime.ActivationCount;
        await _runtime.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
        RuntimeLog.SiloStopped(_logger, count);
        _stop.Dispose();
        _stop = null;
    }

    private async Task CollectAsync(SiloOptions options, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.CollectionQuantum);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _runtime.CollectIdle(options.CollectionAge);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
