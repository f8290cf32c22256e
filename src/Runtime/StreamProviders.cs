using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cib.Runtime;

/// <summary>An event that could not be delivered after <see cref="StreamOptions.MaxDeliveryAttempts"/> attempts.</summary>
internal sealed record DeadLetter(long SequenceNumber, StreamId Stream, string EventId, int Attempts, string Error);

/// <summary>
/// Delivers queued events: in order within a stream (one event at a time, the next only after the previous was delivered
/// or dead-lettered), streams concurrently up to <see cref="StreamOptions.MaxConcurrentStreams"/>. A failed event blocks
/// only its own stream while it waits for redelivery.
/// </summary>
internal sealed class StreamDeliveryEngine
{
    // Events one stream may deliver before yielding its worker to other streams.
    private const int EventsPerTurn = 128;

    private readonly string _providerName;
    private readonly StreamOptions _options;
    private readonly Func<QueuedEvent, CancellationToken, Task> _deliver;
    private readonly Action<QueuedEvent> _delivered;
    private readonly Func<QueuedEvent, Exception, Task> _deadLetter;
    private readonly ILogger _logger;
    private readonly Dictionary<StreamId, StreamQueue> _streams = [];
    private readonly Lock _lock = new();
    private readonly Channel<StreamQueue> _ready = Channel.CreateUnbounded<StreamQueue>();
    private readonly CancellationTokenSource _stop = new();
    private Task[] _workers = [];
    private int _buffered;

    public StreamDeliveryEngine(string providerName, StreamOptions options, Func<QueuedEvent, CancellationToken, Task> deliver, Action<QueuedEvent> delivered, Func<QueuedEvent, Exception, Task> deadLetter, ILogger logger)
    {
        _providerName = providerName;
        _options = options;
        _deliver = deliver;
        _delivered = delivered;
        _deadLetter = deadLetter;
        _logger = logger;
    }

    /// <summary>Events held in memory and not yet delivered.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    public void Enqueue(QueuedEvent queued)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(queued.Stream, out var stream))
            {
                stream = new StreamQueue(queued.Stream);
                _streams.Add(queued.Stream, stream);
            }

            stream.Events.Enqueue(queued);
            _buffered++;
            if (!stream.Scheduled)
            {
                stream.Scheduled = true;
                _ready.Writer.TryWrite(stream);
            }
        }
    }

    public void Start() =>
        _workers = [.. Enumerable.Range(0, _options.MaxConcurrentStreams).Select(_ => Task.Run(() => WorkAsync(_stop.Token)))];

    /// <summary>Stops after the events being delivered now; the rest stay queued (a durable provider delivers them after restart).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_ready.Reader.TryRead(out var stream))
                {
                    await DeliverStreamAsync(stream, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverStreamAsync(StreamQueue stream, CancellationToken cancellationToken)
    {
        for (var n = 0; n < EventsPerTurn; n++)
        {
            QueuedEvent? queued;
            lock (_lock)
            {
                if (!stream.Events.TryPeek(out queued) || cancellationToken.IsCancellationRequested)
                {
                    stream.Scheduled = false;
                    if (stream.Events.Count == 0)
                    {
                        _streams.Remove(stream.Id);
                    }

                    return;
                }
            }

            try
            {
                await _deliver(queued, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                queued.Attempts++;
                if (queued.Attempts < _options.MaxDeliveryAttempts)
                {
                    var delay = RedeliveryDelay(queued.Attempts);
                    RuntimeLog.StreamDeliveryFailed(_logger, ex, _providerName, queued.Stream, queued.SequenceNumber, queued.Attempts, delay);
                    _ = RequeueLaterAsync(stream, delay, cancellationToken);
                    return;
                }

                RuntimeLog.StreamEventDeadLettered(_logger, ex, _providerName, queued.Stream, queued.SequenceNumber, queued.EventId, queued.Attempts);
                try
                {
                    await _deadLetter(queued, ex).ConfigureAwait(false);
                }
                catch (Exception storeError)
                {
                    // Never drop an event silently: if it cannot be moved to the dead letters, keep retrying it.
                    RuntimeLog.DeadLetterFailed(_logger, storeError, _providerName, queued.Stream, queued.SequenceNumber);
                    _ = RequeueLaterAsync(stream, _options.MaxRedeliveryDelay, cancellationToken);
                    return;
                }

                Dequeue(stream);
                continue;
            }

            Dequeue(stream);
            _delivered(queued);
        }

        // Back of the line, so that one busy stream does not starve the others.
        _ready.Writer.TryWrite(stream);
    }

    private void Dequeue(StreamQueue stream)
    {
        lock (_lock)
        {
            stream.Events.Dequeue();
            _buffered--;
        }
    }

    private TimeSpan RedeliveryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.InitialRedeliveryDelay.Ticks * factor, _options.MaxRedeliveryDelay.Ticks));
        return delay;
    }

    private async Task RequeueLaterAsync(StreamQueue stream, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _ready.Writer.TryWrite(stream);
    }

    private sealed class StreamQueue(StreamId id)
    {
        public StreamId Id { get; } = id;

        public Queue<QueuedEvent> Events { get; } = new();

        /// <summary>True while the stream is in the ready channel, being delivered, or waiting for a redelivery.</summary>
        public bool Scheduled { get; set; }
    }
}

/// <summary>In-memory streams: for tests and for data that may be lost on restart.</summary>
internal sealed class MemoryStreamProvider : StreamProviderBase
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);
    private readonly StreamDeliveryEngine _engine;
    private long _sequence;

    public MemoryStreamProvider(string name, GrainRuntime runtime, StreamOptions options, ILogger logger)
        : base(name, runtime)
    {
        _engine = new StreamDeliveryEngine(name, options, DeliverAsync, _ => { }, (queued, ex) =>
        {
            DeadLetters.Enqueue(new DeadLetter(queued.SequenceNumber, queued.Stream, queued.EventId, queued.Attempts, ex.ToString()));
            return Task.CompletedTask;
        }, logger);
    }

    public ConcurrentQueue<DeadLetter> DeadLetters { get; } = new();

    public override Task<bool[]> AppendAsync<T>(IReadOnlyList<StreamEvent<T>> events, bool deduplicate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var accepted = new bool[events.Count];
        lock (_lock)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (deduplicate && !_eventIds.Add(e.EventId))
                {
                    continue;
                }

                accepted[i] = true;
                _engine.Enqueue(new QueuedEvent(++_sequence, e.Stream, e.EventId, new ObjectPayload(DeepCopier.Copy(e.Item))));
            }
        }

        return Task.FromResult(accepted);
    }

    public override void Start() => _engine.Start();

    public override Task StopAsync(CancellationToken cancellationToken) => _engine.StopAsync();
}

/// <summary>
/// Durable streams in a SQLite file. An event is a row of stream_events from the commit of its publish until its delivery;
/// stream_event_ids remembers every accepted EventId (so republishing is a no-op forever); stream_dead_letters keeps what
/// could not be delivered. After a restart, every row still in stream_events is delivered again.
/// </summary>
internal sealed class SqliteStreamProvider : StreamProviderBase
{
    private readonly SqliteDatabase _database;
    private readonly StreamOptions _options;
    private readonly ILogger _logger;
    private readonly StreamDeliveryEngine _engine;
    private readonly ConcurrentQueue<long> _acks = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private CancellationTokenSource? _stop;
    private Task? _loader;
    private long _lastLoaded;

    public SqliteStreamProvider(string name, GrainRuntime runtime, SqliteDatabase database, StreamOptions options, ILogger logger)
        : base(name, runtime)
    {
        _database = database;
        _options = options;
        _logger = logger;
        _engine = new StreamDeliveryEngine(name, options, DeliverAsync, queued => _acks.Enqueue(queued.SequenceNumber), DeadLetterAsync, logger);
        _database.Write(connection =>
        {
            using var command = connection.CreateCommand();

            // AUTOINCREMENT: sequence numbers are never reused, even after the newest rows were delivered and deleted.
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS stream_events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    provider TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    key TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    payload BLOB NOT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_stream_events_provider_seq ON stream_events (provider, seq);
                CREATE TABLE IF NOT EXISTS stream_event_ids (
                    provider TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    PRIMARY KEY (provider, event_id)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS stream_dead_letters (
                    seq INTEGER PRIMARY KEY,
                    provider TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    key TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    attempts INTEGER NOT NULL,
                    error TEXT NOT NULL,
                    dead_at_unix_ms INTEGER NOT NULL
                );
                """;
            return command.ExecuteNonQuery();
        });
    }

    public override async Task<bool[]> AppendAsync<T>(IReadOnlyList<StreamEvent<T>> events, bool deduplicate, CancellationToken cancellationToken)
    {
        // Serialise before taking the writer lock: the lock is the bottleneck, JSON is not.
        var payloads = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            payloads[i] = JsonSerializer.SerializeToUtf8Bytes(events[i].Item, StreamPayload.Json);
        }

        var accepted = await _database.WriteAsync(connection =>
        {
            var result = new bool[events.Count];
            using var transaction = connection.BeginTransaction();
            using var insertId = connection.CreateCommand();
            insertId.Transaction = transaction;
            insertId.CommandText = "INSERT INTO stream_event_ids (provider, event_id) VALUES ($provider, $id) ON CONFLICT DO NOTHING";
            insertId.Parameters.AddWithValue("$provider", Name);
            var idParameter = insertId.Parameters.Add("$id", SqliteType.Text);

            using var insertEvent = connection.CreateCommand();
            insertEvent.Transaction = transaction;
            insertEvent.CommandText = "INSERT INTO stream_events (provider, namespace, key, event_id, payload) VALUES ($provider, $ns, $key, $id, $payload)";
            insertEvent.Parameters.AddWithValue("$provider", Name);
            var nsParameter = insertEvent.Parameters.Add("$ns", SqliteType.Text);
            var keyParameter = insertEvent.Parameters.Add("$key", SqliteType.Text);
            var eventIdParameter = insertEvent.Parameters.Add("$id", SqliteType.Text);
            var payloadParameter = insertEvent.Parameters.Add("$payload", SqliteType.Blob);

            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (deduplicate)
                {
                    idParameter.Value = e.EventId;
                    if (insertId.ExecuteNonQuery() == 0)
                    {
                        continue;
                    }
                }

                nsParameter.Value = e.Stream.Namespace;
                keyParameter.Value = e.Stream.Key;
                eventIdParameter.Value = e.EventId;
                payloadParameter.Value = payloads[i];
                insertEvent.ExecuteNonQuery();
                result[i] = true;
            }

            transaction.Commit();
            return result;
        }, cancellationToken).ConfigureAwait(false);

        Wake();
        return accepted;
    }

    public override void Start()
    {
        _stop = new CancellationTokenSource();
        _engine.Start();
        _loader = Task.Run(() => LoadAsync(_stop.Token));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loader!.ConfigureAwait(false);
        await _engine.StopAsync().ConfigureAwait(false);
        await FlushAcksAsync().ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }

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

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var loaded = 0;
            try
            {
                // Bound memory: while consumers lag (or a stream waits for redelivery), rows stay in the database.
                if (_engine.Buffered < _options.BatchSize * 4)
                {
                    loaded = LoadBatch();
                }

                await FlushAcksAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RuntimeLog.StreamPollFailed(_logger, ex, Name);
            }

            if (loaded == _options.BatchSize)
            {
                continue;
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

    private int LoadBatch()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, namespace, key, event_id, payload FROM stream_events WHERE provider = $provider AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$provider", Name);
        command.Parameters.AddWithValue("$after", _lastLoaded);
        command.Parameters.AddWithValue("$limit", _options.BatchSize);
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            var seq = reader.GetInt64(0);
            _engine.Enqueue(new QueuedEvent(seq, new StreamId(reader.GetString(1), reader.GetString(2)), reader.GetString(3), new JsonPayload((byte[])reader.GetValue(4))));
            _lastLoaded = seq;
            count++;
        }

        return count;
    }

    private async Task FlushAcksAsync()
    {
        if (_acks.IsEmpty)
        {
            return;
        }

        var delivered = new List<long>();
        while (_acks.TryDequeue(out var seq))
        {
            delivered.Add(seq);
        }

        await _database.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM stream_events WHERE seq = $seq";
            var seqParameter = delete.Parameters.Add("$seq", SqliteType.Integer);
            foreach (var seq in delivered)
            {
                seqParameter.Value = seq;
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        }).ConfigureAwait(false);
    }

    private Task DeadLetterAsync(QueuedEvent queued, Exception error) => _database.WriteAsync(connection =>
    {
        using var transaction = connection.BeginTransaction();
        using var move = connection.CreateCommand();
        move.Transaction = transaction;
        move.CommandText = """
            INSERT OR REPLACE INTO stream_dead_letters (seq, provider, namespace, key, event_id, payload, attempts, error, dead_at_unix_ms)
            SELECT seq, provider, namespace, key, event_id, payload, $attempts, $error, $now FROM stream_events WHERE seq = $seq;
            DELETE FROM stream_events WHERE seq = $seq;
            """;
        move.Parameters.AddWithValue("$attempts", queued.Attempts);
        move.Parameters.AddWithValue("$error", error.ToString());
        move.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        move.Parameters.AddWithValue("$seq", queued.SequenceNumber);
        move.ExecuteNonQuery();
        transaction.Commit();
        return 0;
    });
}
