using Microsoft.Data.Sqlite;

namespace Cib.Runtime;

/// <summary>
/// One SQLite file shared by grain storage, reminders, streams and the rest of the application. Each user creates its own
/// tables (CREATE TABLE IF NOT EXISTS). Journal mode WAL lets readers run while one writer writes; synchronous=FULL makes
/// every acknowledged commit survive a crash or power loss. SQLite admits one writer at a time, so writes inside this process
/// go through <see cref="WriteAsync{T}"/>, which serialises them on one long-lived connection instead of letting them
/// collide on the file lock.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>How long a statement waits for another connection's lock by default: 30 s.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly int _busyTimeoutMs;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private SqliteConnection? _writeConnection;
    private bool _disposed;

    /// <summary>Opens (creating it and its folder if needed) the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">
    /// How long a statement waits for a lock held by another connection (another process, or a backup tool) before it
    /// fails with SQLITE_BUSY; default <see cref="DefaultBusyTimeout"/>. The driver also retries busy statements for its
    /// command timeout, which counts whole seconds, so the effective wait is at least 1 s.
    /// </param>
    public SqliteDatabase(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var timeout = busyTimeout ?? DefaultBusyTimeout;
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(busyTimeout), timeout, "the busy timeout must be positive and at most 1 hour");
        }
        _busyTimeoutMs = (int)Math.Ceiling(timeout.TotalMilliseconds);
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // 0 would mean "retry forever" to the driver, so a sub-second busy timeout rounds up to 1 s.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();

        using var connection = OpenConnection();
        using var command = connection.CreateCommand();

        // WAL is a property of the file, so setting it once is enough; it persists across opens.
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// A new connection (pooled) with this database's settings. Use it for reads; for writes prefer <see cref="WriteAsync{T}"/>
    /// so that writers of this process queue instead of contending for SQLite's file lock.
    /// </summary>
    public SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();

        // Both settings are per connection, so every connection gets them.
        command.CommandText = $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={_busyTimeoutMs};";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the shared write connection while holding this database's writer lock.
    /// The work should open its own transaction (<c>connection.BeginTransaction()</c>, which takes the write lock immediately)
    /// and must not keep the connection.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work(WriteConnection());
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Synchronous form of <see cref="WriteAsync{T}"/>, for start-up code such as creating tables.</summary>
    public T Write<T>(Func<SqliteConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _writer.Wait();
        try
        {
            return work(WriteConnection());
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose()
    {
        _writer.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writeConnection?.Dispose();
            _writeConnection = null;
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        finally
        {
            _writer.Release();
        }
    }

    private SqliteConnection WriteConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writeConnection ??= OpenConnection();
    }
}
