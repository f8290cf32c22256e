namespace Cib.Silo;

/// <summary>Where the silo keeps its data, where it listens, and how much load it admits.</summary>
public sealed record SiloSettings
{
    /// <summary>Folder for the embedded SQLite database (default <c>./data</c>), created on first run.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>HTTP address (default <c>http://127.0.0.1:5080</c>; port 0 picks a free port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Largest ingest request body accepted (default 64 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Ingest requests handled at once (default 8); one more answers 429 with <c>Retry-After</c> before its body is read.
    /// Each admitted request buffers its body and its parsed signals, so this bounds the memory ingest holds to a few times
    /// <c>MaxConcurrentIngests × MaxRequestBodyBytes</c> in the worst case, and far less for ordinary batches.
    /// </summary>
    public int MaxConcurrentIngests { get; init; } = 8;

    /// <summary>
    /// Acknowledged signals not yet applied to the grains (log head − pump position) above which ingest answers 503 with
    /// <c>Retry-After</c> (default 2,000,000, about a minute of the pump's work on the reference machine). The backlog is on
    /// disk, not in memory; the bound keeps detection from falling ever further behind acknowledgement, and so makes callers
    /// slow down to the speed at which signals are applied. After a restart the whole log is backlog until replay catches up.
    /// </summary>
    public long MaxBacklog { get; init; } = 2_000_000;

    /// <summary>
    /// Admitted ingest requests that parse and store their bodies at once (default: the processor count); the others wait
    /// their turn, their bodies already read. Parsing and storing run on the background threads at lowered priority
    /// (<c>Cib.Runtime.BackgroundThreads</c>, like the calls that apply signals), so that network queries get a core first;
    /// at most half of those threads take ingest work, whatever this says, so that applying signals always has threads.
    /// </summary>
    public int IngestParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How long a write waits for a lock held by another connection to the database file before the request fails with
    /// 503 "store is busy" (default 30 s; the SQLite driver rounds waits below 1 s up to 1 s).
    /// </summary>
    public TimeSpan StoreBusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Smallest period of a durable reminder, such as the sweep's; null keeps the runtime's default of 1 min, which guards
    /// against schedules too fine for a durable table. Tests lower it to run short sweep periods.
    /// </summary>
    public TimeSpan? MinimumReminderPeriod { get; init; }

    /// <summary>
    /// How long a grain call may take before it fails with a timeout; null keeps the runtime's default of 30 s. Tests lower
    /// it to show that long waits (a sweep behind a backlog) do not happen inside grain calls.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>
    /// Niceness of the threads that apply ingested signals (<c>Cib.Runtime.BackgroundThreads</c>; 0 to 19, default 10), so
    /// that queries get the processor first. Nice ranks every process on the machine: on a host shared with other busy
    /// work, 10 also makes ingest give way to it, and 0 keeps it at normal priority.
    /// </summary>
    public int BackgroundNiceness { get; init; } = Cib.Runtime.BackgroundThreads.DefaultNiceness;

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "cib.db");

    /// <summary>
    /// Settings from the silo's command line (<c>--data</c>, <c>--urls</c>, <c>--max-concurrent-ingests</c>,
    /// <c>--max-backlog</c>, <c>--ingest-parallelism</c>, <c>--store-busy-timeout</c> seconds, <c>--background-niceness</c>),
    /// the defaults for those not given; throws <see cref="ArgumentException"/> naming the option and the text when a value
    /// is not a number or is out of range, instead of quietly running with the default.
    /// </summary>
    public static SiloSettings FromArguments(IReadOnlyList<string> args)
    {
        string? Option(string name)
        {
            for (var i = 0; i < args.Count; i++)
            {
                if (args[i] == name)
                {
                    return i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
                }
            }
            return null;
        }
        T Number<T>(string name, T fallback, T min, T max, string what)
            where T : struct, System.Numerics.INumber<T>
        {
            if (Option(name) is not { } text)
            {
                return fallback;
            }
            return T.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"{name} must be {what} (got \"{text}\")");
        }
        var defaults = new SiloSettings();
        var settings = new SiloSettings
        {
            DataDirectory = Option("--data") ?? defaults.DataDirectory,
            Urls = Option("--urls") ?? defaults.Urls,
            MaxConcurrentIngests = Number("--max-concurrent-ingests", defaults.MaxConcurrentIngests, 1, 10_000, "a whole number from 1 to 10,000"),
            MaxBacklog = Number("--max-backlog", defaults.MaxBacklog, 1L, long.MaxValue, "a whole number of at least 1"),
            IngestParallelism = Number("--ingest-parallelism", defaults.IngestParallelism, 1, 1024, "a whole number from 1 to 1,024"),
            StoreBusyTimeout = TimeSpan.FromSeconds(Number("--store-busy-timeout", defaults.StoreBusyTimeout.TotalSeconds, 0.001, 3600, "a number of seconds above 0 and at most 3,600")),
            BackgroundNiceness = Number("--background-niceness", defaults.BackgroundNiceness, 0, 19, "a whole number from 0 to 19"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Throws when a setting is out of range, naming it and its value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException($"{nameof(DataDirectory)} must name a folder", nameof(DataDirectory));
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException($"{nameof(MaxRequestBodyBytes)} must be at least 1024 (got {MaxRequestBodyBytes})", nameof(MaxRequestBodyBytes));
        }
        if (MaxConcurrentIngests < 1)
        {
            throw new ArgumentException($"{nameof(MaxConcurrentIngests)} must be at least 1 (got {MaxConcurrentIngests})", nameof(MaxConcurrentIngests));
        }
        if (BackgroundNiceness is < 0 or > 19)
        {
            throw new ArgumentException($"{nameof(BackgroundNiceness)} must be between 0 and 19 (got {BackgroundNiceness})", nameof(BackgroundNiceness));
        }
        if (IngestParallelism < 1)
        {
            throw new ArgumentException($"{nameof(IngestParallelism)} must be at least 1 (got {IngestParallelism})", nameof(IngestParallelism));
        }
        if (MaxBacklog < 1)
        {
            throw new ArgumentException($"{nameof(MaxBacklog)} must be at least 1 (got {MaxBacklog})", nameof(MaxBacklog));
        }
        if (StoreBusyTimeout <= TimeSpan.Zero || StoreBusyTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{nameof(StoreBusyTimeout)} must be positive and at most 1 hour (got {StoreBusyTimeout})", nameof(StoreBusyTimeout));
        }
        if (ResponseTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ResponseTimeout)} must be positive (got {t})", nameof(ResponseTimeout));
        }
        if (MinimumReminderPeriod is { } p && p <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MinimumReminderPeriod)} must be positive (got {p})", nameof(MinimumReminderPeriod));
        }
    }
}
