using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Runtime;

/// <summary>A grain that receives reminders.</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>When a reminder tick was due.</summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>A registered reminder.</summary>
public interface IGrainReminder
{
    string ReminderName { get; }
}

/// <summary>Reminder service settings.</summary>
public sealed class ReminderOptions
{
    /// <summary>How often the reminder table is scanned for due ticks, and so the lateness bound of a tick. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Smallest period a reminder may have (reminders are for coarse, durable schedules; use timers for fine ones). Default 1 min.</summary>
    public TimeSpan MinimumPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed record GrainReminder(string ReminderName) : IGrainReminder;

/// <summary>A durable reminder: first tick at <see cref="Start"/>, then every <see cref="Period"/>.</summary>
internal sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset Start, TimeSpan Period);

internal interface IReminderTable
{
    Task UpsertAsync(ReminderEntry entry);

    Task RemoveAsync(GrainId grainId, string name);

    Task<ReminderEntry?> GetAsync(GrainId grainId, string name);

    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync();
}

internal sealed class MemoryReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId, string), ReminderEntry> _entries = new();

    public Task UpsertAsync(ReminderEntry entry)
    {
        _entries[(entry.GrainId, entry.Name)] = entry;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(GrainId grainId, string name)
    {
        _entries.TryRemove((grainId, name), out _);
        return Task.CompletedTask;
    }

    public Task<ReminderEntry?> GetAsync(GrainId grainId, string name) =>
        Task.FromResult(_entries.TryGetValue((grainId, name), out var entry) ? entry : null);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync() => Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _entries.Values]);
}

internal sealed class SqliteReminderTable : IReminderTable
{
    private readonly SqliteDatabase _database;

    public SqliteReminderTable(SqliteDatabase database)
    {
        _database = database;
        _database.Write(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS reminders (
                    grain_type TEXT NOT NULL,
                    grain_key TEXT NOT NULL,
                    name TEXT NOT NULL,
                    start_unix_ms INTEGER NOT NULL,
                    period_ms INTEGER NOT NULL,
                    PRIMARY KEY (grain_type, grain_key, name)
                ) WITHOUT ROWID;
                """;
            return command.ExecuteNonQuery();
        });
    }

    public Task UpsertAsync(ReminderEntry entry) => _database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (grain_type, grain_key, name, start_unix_ms, period_ms) VALUES ($type, $key, $name, $start, $period)
            ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET start_unix_ms = excluded.start_unix_ms, period_ms = excluded.period_ms
            """;
        command.Parameters.AddWithValue("$type", entry.GrainId.Type);
        command.Parameters.AddWithValue("$key", entry.GrainId.Key);
        command.Parameters.AddWithValue("$name", entry.Name);
        command.Parameters.AddWithValue("$start", entry.Start.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$period", (long)entry.Period.TotalMilliseconds);
        return command.ExecuteNonQuery();
    });

    public Task RemoveAsync(GrainId grainId, string name) => _database.WriteAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE grain_type = $type AND grain_key = $key AND name = $name";
        command.Parameters.AddWithValue("$type", grainId.Type);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery();
    });

    public Task<ReminderEntry?> GetAsync(GrainId grainId, string name)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT start_unix_ms, period_ms FROM reminders WHERE grain_type = $type AND grain_key = $key AND name = $name";
        command.Parameters.AddWithValue("$type", grainId.Type);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new ReminderEntry(grainId, name, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), TimeSpan.FromMilliseconds(reader.GetInt64(1)))
            : null);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_key, name, start_unix_ms, period_ms FROM reminders";
        using var reader = command.ExecuteReader();
        var entries = new List<ReminderEntry>();
        while (reader.Read())
        {
            entries.Add(new ReminderEntry(
                new GrainId(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                TimeSpan.FromMilliseconds(reader.GetInt64(4))));
        }

        return Task.FromResult<IReadOnlyList<ReminderEntry>>(entries);
    }
}

/// <summary>The grain-facing side of reminders: validation and the table, if one is configured.</summary>
internal sealed class ReminderRegistry
{
    private readonly IReminderTable? _table;
    private readonly ReminderOptions _options;

    public ReminderRegistry(IServiceProvider services, IOptions<ReminderOptions> options)
    {
        _table = services.GetService<IReminderTable>();
        _options = options.Value;
    }

    /// <summary>Raised after a registration so the service picks it up without waiting for its next poll.</summary>
    public event Action? Changed;

    public IReminderTable Table => _table
        ?? throw new InvalidOperationException("No reminder service is configured: call UseInMemoryReminderService() or UseSqliteReminderService(database) on the silo builder.");

    public async Task<IGrainReminder> RegisterOrUpdateAsync(ActivationData activation, string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!activation.GrainClass.IsRemindable)
        {
            throw new InvalidOperationException($"{activation.GrainClass.ClassType.Name} registers reminder \"{name}\" but does not implement IRemindable, so it could not receive it.");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, $"Reminder \"{name}\": the due time must not be negative.");
        }

        if (period < _options.MinimumPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"Reminder \"{name}\": the period must be at least ReminderOptions.MinimumPeriod ({_options.MinimumPeriod}); use a grain timer for shorter periods.");
        }

        await Table.UpsertAsync(new ReminderEntry(activation.Id, name, DateTimeOffset.UtcNow + dueTime, period));
        Changed?.Invoke();
        return new GrainReminder(name);
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        await Table.RemoveAsync(grainId, name);
        Changed?.Invoke();
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name) =>
        await Table.GetAsync(grainId, name) is { } entry ? new GrainReminder(entry.Name) : null;
}

/// <summary>
/// Fires due reminders by calling <see cref="IRemindable.ReceiveReminder"/> on the grain, activating it. The schedule is
/// recomputed from the durable table, so reminders survive restarts; a tick missed while the silo was down fires once on
/// start, then the schedule continues on its original phase.
/// </summary>
internal sealed class ReminderService : IAsyncDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly ReminderRegistry _registry;
    private readonly ReminderOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<(GrainId, string), Scheduled> _schedule = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public ReminderService(GrainRuntime runtime, ReminderRegistry registry, IOptions<ReminderOptions> options, ILogger<ReminderService> logger)
    {
        _runtime = runtime;
        _registry = registry;
        _options = options.Value;
        _logger = logger;
    }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _registry.Changed += Wake;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        _registry.Changed -= Wake;
        await _stop.CancelAsync();
        try
        {
            await _loop!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Let ticks already delivered finish, so no reminder turn is cut short by shutdown.
        await Task.WhenAll(_schedule.Values.Select(s => s.Running ?? Task.CompletedTask)).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RuntimeLog.ReminderPollFailed(_logger, ex);
            }

            try
            {
                await _wake.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var entries = await _registry.Table.ReadAllAsync().ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var seen = new HashSet<(GrainId, string)>();
        foreach (var entry in entries)
        {
            var key = (entry.GrainId, entry.Name);
            seen.Add(key);
            if (!_schedule.TryGetValue(key, out var scheduled) || scheduled.Entry != entry)
            {
                scheduled = new Scheduled(entry, FirstDueTick(entry, now));
                _schedule[key] = scheduled;
            }

            if (now < scheduled.NextTick || scheduled.Running is { IsCompleted: false } || cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            var tick = scheduled.NextTick;
            scheduled.NextTick = NextTickAfter(entry, now);
            scheduled.Running = FireAsync(entry, tick);
        }

        foreach (var key in _schedule.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _schedule.Remove(key);
        }
    }

    private static DateTimeOffset FirstDueTick(ReminderEntry entry, DateTimeOffset now)
    {
        if (entry.Start >= now)
        {
            return entry.Start;
        }

        // The latest tick that should already have happened: fire it now rather than skip a whole period.
        var elapsed = (now - entry.Start).Ticks / entry.Period.Ticks;
        return entry.Start + TimeSpan.FromTicks(elapsed * entry.Period.Ticks);
    }

    private static DateTimeOffset NextTickAfter(ReminderEntry entry, DateTimeOffset now)
    {
        var elapsed = now < entry.Start ? 0 : ((now - entry.Start).Ticks / entry.Period.Ticks) + 1;
        return entry.Start + TimeSpan.FromTicks(elapsed * entry.Period.Ticks);
    }

    private async Task FireAsync(ReminderEntry entry, DateTimeOffset tick)
    {
        try
        {
            var grainClass = _runtime.Registry.GetByTypeName(entry.GrainId.Type);
            var status = new TickStatus(entry.Start, entry.Period, tick);
            await _runtime.SendAsync(
                entry.GrainId,
                grainClass,
                async a =>
                {
                    await ((IRemindable)a.Instance!).ReceiveReminder(entry.Name, status);
                    return null;
                },
                interleave: false,
                $"reminder {entry.Name}").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RuntimeLog.ReminderFailed(_logger, ex, entry.Name, entry.GrainId);
        }
    }

    private sealed class Scheduled(ReminderEntry entry, DateTimeOffset nextTick)
    {
        public ReminderEntry Entry { get; } = entry;

        public DateTimeOffset NextTick { get; set; } = nextTick;

        public Task? Running { get; set; }
    }
}
