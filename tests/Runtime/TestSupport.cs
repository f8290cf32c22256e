using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cib.Runtime.Tests;

/// <summary>Records what grains did, per silo (each test has its own), so tests running in parallel do not see each other.</summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, int> _counters = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();

    public ConcurrentQueue<string> Events { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object? Shared { get; set; }

    public void Record(string entry) => Events.Enqueue(entry);

    public int Increment(string counter) => _counters.AddOrUpdate(counter, 1, (_, n) => n + 1);

    public int Get(string counter) => _counters.GetValueOrDefault(counter);

    public bool Has(string entry) => Events.Contains(entry);

    public int CountOf(string entry) => Events.Count(e => e == entry);

    public List<string> WithPrefix(string prefix) => [.. Events.Where(e => e.StartsWith(prefix, StringComparison.Ordinal))];

    public void FailTimes(string key, int times) => _failures[key] = times;

    /// <summary>True (and counts down) while failures remain for this key.</summary>
    public bool ShouldFail(string key)
    {
        while (_failures.TryGetValue(key, out var remaining) && remaining > 0)
        {
            if (_failures.TryUpdate(key, remaining - 1, remaining))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A started host with a silo; stops it on dispose.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private TestSilo(IHost host, Probe probe)
    {
        _host = host;
        Probe = probe;
    }

    public Probe Probe { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder> configure, bool start = true, Probe? probe = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        probe ??= new Probe();
        builder.Services.AddSingleton(probe);
        builder.UseOrleans(silo =>
        {
            silo.AddGrainAssembly(typeof(TestSilo).Assembly);
            configure(silo);
        });
        var silo = new TestSilo(builder.Build(), probe);
        if (start)
        {
            await silo._host.StartAsync();
            silo._started = true;
        }

        return silo;
    }

    public static Task<TestSilo> StartInMemoryAsync(Action<ISiloBuilder>? configure = null) =>
        StartAsync(silo =>
        {
            silo.AddMemoryGrainStorage(ProviderConstants.DefaultStorageProviderName);
            configure?.Invoke(silo);
        });

    public IStreamProvider Streams(string name = TestConstants.Streams) => _host.Services.GetRequiredKeyedService<IStreamProvider>(name);

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>A fresh folder with a SQLite database path in it, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly List<SqliteDatabase> _opened = [];

    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cib-runtime-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, "data", "cib.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Opens the database; each call is a new instance, as a restarted process would have.</summary>
    public SqliteDatabase Open()
    {
        var database = new SqliteDatabase(FilePath);
        _opened.Add(database);
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class TestConstants
{
    public const string Streams = "streams";
}

public static class Wait
{
    /// <summary>Polls until the condition holds; fails after a generous timeout instead of relying on fixed sleeps.</summary>
    public static async Task Until(Func<bool> condition, string what, double timeoutSeconds = 15)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                Assert.Fail($"Timed out after {timeoutSeconds} s waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
