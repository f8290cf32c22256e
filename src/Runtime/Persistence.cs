using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cib.Runtime;

/// <summary>
/// A grain's persistent state, injected through <see cref="PersistentStateAttribute"/>. It is read before
/// <see cref="Grain.OnActivateAsync"/> and durable only after <see cref="WriteStateAsync"/> completed.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    TState State { get; set; }

    /// <summary>The version of the stored record this state was read from or written as; null if none.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes the state; throws <see cref="InconsistentStateException"/> if storage changed since it was read.</summary>
    Task WriteStateAsync();

    Task ClearStateAsync();
}

/// <summary>State with its storage metadata, as exchanged with an <see cref="IGrainStorage"/>.</summary>
public interface IGrainState<T>
{
    T State { get; set; }

    string? ETag { get; set; }

    bool RecordExists { get; set; }
}

/// <summary>A plain <see cref="IGrainState{T}"/>.</summary>
public sealed class GrainState<T> : IGrainState<T>
{
    public GrainState(T state) => State = state;

    public T State { get; set; }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}

/// <summary>
/// Stores grain state. Contract (see the storage contract tests): reading a missing record leaves the state as is with
/// RecordExists false; every write changes the ETag; a write or clear with an ETag other than the stored one throws
/// <see cref="InconsistentStateException"/>; state names of one grain are independent.
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}

/// <summary>The stored state changed since this copy was read (another writer won). The runtime deactivates the activation so the next call reloads.</summary>
public class InconsistentStateException : Exception
{
    public InconsistentStateException()
    {
    }

    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base(message)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>The ETag in storage.</summary>
    public string? StoredEtag { get; }

    /// <summary>The ETag the writer held.</summary>
    public string? CurrentEtag { get; }

    internal static InconsistentStateException For(string operation, string stateName, GrainId grainId, string? stored, string? current) =>
        new($"Cannot {operation} state \"{stateName}\" of {grainId}: storage holds version {stored ?? "(none)"} but this copy was read at version {current ?? "(none)"}. Another writer changed it; the activation will reload.", stored, current);
}

internal interface IPersistentStateLoader
{
    Task ReadStateAsync();
}

internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainState<TState>, IPersistentStateLoader
    where TState : new()
{
    private readonly string _stateName;
    private readonly GrainId _grainId;
    private readonly IGrainStorage _storage;

    public PersistentState(string stateName, GrainId grainId, IGrainStorage storage)
    {
        _stateName = stateName;
        _grainId = grainId;
        _storage = storage;
    }

    public TState State { get; set; } = new();

    public string? ETag { get; set; }

    public string? Etag => ETag;

    public bool RecordExists { get; set; }

    public Task ReadStateAsync() => _storage.ReadStateAsync(_stateName, _grainId, this);

    public Task WriteStateAsync() => _storage.WriteStateAsync(_stateName, _grainId, this);

    public async Task ClearStateAsync()
    {
        await _storage.ClearStateAsync(_stateName, _grainId, this);
        State = new();
    }
}

/// <summary>Shared rules of the built-in storages: ETag = record version; a cleared record keeps its version as a tombstone so stale writers still conflict.</summary>
internal static class StateVersions
{
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static long? Parse(string? etag) =>
        etag is null ? null : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.General);

    public static T NewState<T>() => typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is null
        ? default!
        : Activator.CreateInstance<T>();
}

internal sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), Record> _records = new();
    private readonly Lock _writeLock = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.ETag = StateVersions.Format(record.Version);
            grainState.RecordExists = record.Payload is not null;
            grainState.State = record.Payload is null ? StateVersions.NewState<T>() : JsonSerializer.Deserialize<T>(record.Payload, StateVersions.Json)!;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(grainState.State, StateVersions.Json);
        var version = Replace("write", stateName, grainId, grainState.ETag, payload);
        grainState.ETag = StateVersions.Format(version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = Replace("clear", stateName, grainId, grainState.ETag, null);
        grainState.ETag = StateVersions.Format(version);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private long Replace(string operation, string stateName, GrainId grainId, string? etag, byte[]? payload)
    {
        lock (_writeLock)
        {
            var key = (stateName, grainId);
            var stored = _records.TryGetValue(key, out var record) ? record.Version : (long?)null;
            if (stored != StateVersions.Parse(etag))
            {
                throw InconsistentStateException.For(operation, stateName, grainId, stored is null ? null : StateVersions.Format(stored.Value), etag);
            }

            var version = (stored ?? 0) + 1;
            _records[key] = new Record(version, payload);
            return version;
        }
    }

    private sealed record Record(long Version, byte[]? Payload);
}

internal sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly SqliteDatabase _database;

    public SqliteGrainStorage(SqliteDatabase database)
    {
        _database = database;
        _database.Write(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS grain_state (
                    grain_type TEXT NOT NULL,
                    grain_key TEXT NOT NULL,
                    state_name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    payload BLOB NULL,
                    PRIMARY KEY (grain_type, grain_key, state_name)
                ) WITHOUT ROWID;
                """;
            command.ExecuteNonQuery();
            return 0;
        });
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, payload FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name";
        AddKey(command, stateName, grainId);
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            grainState.ETag = StateVersions.Format(reader.GetInt64(0));
            grainState.RecordExists = !reader.IsDBNull(1);
            grainState.State = reader.IsDBNull(1)
                ? StateVersions.NewState<T>()
                : JsonSerializer.Deserialize<T>((byte[])reader.GetValue(1), StateVersions.Json)!;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(grainState.State, StateVersions.Json);
        var version = await ReplaceAsync("write", stateName, grainId, grainState.ETag, payload).ConfigureAwait(false);
        grainState.ETag = StateVersions.Format(version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = await ReplaceAsync("clear", stateName, grainId, grainState.ETag, null).ConfigureAwait(false);
        grainState.ETag = StateVersions.Format(version);
        grainState.RecordExists = false;
    }

    private Task<long> ReplaceAsync(string operation, string stateName, GrainId grainId, string? etag, byte[]? payload) =>
        _database.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            long? stored;
            using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT version FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name";
                AddKey(read, stateName, grainId);
                stored = read.ExecuteScalar() is long v ? v : null;
            }

            if (stored != StateVersions.Parse(etag))
            {
                throw InconsistentStateException.For(operation, stateName, grainId, stored is null ? null : StateVersions.Format(stored.Value), etag);
            }

            var version = (stored ?? 0) + 1;
            using (var write = connection.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = """
                    INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload) VALUES ($type, $key, $name, $version, $payload)
                    ON CONFLICT (grain_type, grain_key, state_name) DO UPDATE SET version = excluded.version, payload = excluded.payload
                    """;
                AddKey(write, stateName, grainId);
                write.Parameters.AddWithValue("$version", version);
                write.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
                write.ExecuteNonQuery();
            }

            transaction.Commit();
            return version;
        });

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$type", grainId.Type);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$name", stateName);
    }
}
