using System.Collections.Immutable;
using System.Text.Json;

namespace Cib.Runtime;

/// <summary>Identifies a stream: a namespace (which kind of stream) and a key (which one).</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    public static StreamId Create(string streamNamespace, string key) => new(streamNamespace, key);

    public override string ToString() => $"{Namespace}/{Key}";
}

/// <summary>
/// Position of an event: <see cref="SequenceNumber"/> increases monotonically per provider (so per stream), and
/// <see cref="EventId"/> is the publisher's id. Delivery is at least once, so consumers de-duplicate with either.
/// </summary>
public sealed record StreamSequenceToken(long SequenceNumber, string? EventId);

/// <summary>Receives the events of a stream.</summary>
public interface IAsyncObserver<in T>
{
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    Task OnCompletedAsync();

    Task OnErrorAsync(Exception ex);
}

/// <summary>A stream of events of type <typeparamref name="T"/>.</summary>
public interface IAsyncStream<T>
{
    StreamId StreamId { get; }

    /// <summary>Publishes one event under a fresh event id; returns once it is durable (for a durable provider).</summary>
    Task OnNextAsync(T item);

    /// <summary>Publishes events in one transaction under fresh event ids.</summary>
    Task OnNextBatchAsync(IEnumerable<T> batch);

    /// <summary>
    /// Subscribes. Called from grain code, events arrive as turns of that activation and the subscription lasts as long
    /// as the activation (implicit subscribers subscribe again in OnActivateAsync).
    /// </summary>
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer);

    /// <summary>Subscribes with a delegate; see <see cref="SubscribeAsync(IAsyncObserver{T})"/>.</summary>
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(Func<T, StreamSequenceToken?, Task> onNext);
}

/// <summary>A subscription to a stream.</summary>
public abstract class StreamSubscriptionHandle<T>
{
    public abstract StreamId StreamId { get; }

    public abstract Guid HandleId { get; }

    public abstract Task UnsubscribeAsync();
}

/// <summary>An event to publish with <see cref="IStreamProvider.PublishBatchAsync{T}"/>; <paramref name="EventId"/> makes publishing idempotent.</summary>
public sealed record StreamEvent<T>(StreamId Stream, string EventId, T Item);

/// <summary>A named set of streams with one delivery guarantee: in order per stream, at least once.</summary>
public interface IStreamProvider
{
    string Name { get; }

    IAsyncStream<T> GetStream<T>(StreamId id);

    /// <summary>
    /// Appends events (to any number of streams) in one transaction and returns, per event, whether it was newly accepted:
    /// an event whose EventId this provider ever accepted before (or earlier in the same batch) is skipped. Returns once the
    /// accepted events are durable, so a caller can acknowledge them.
    /// </summary>
    Task<bool[]> PublishBatchAsync<T>(IReadOnlyList<StreamEvent<T>> events, CancellationToken cancellationToken = default);
}

/// <summary>Stream delivery settings (all providers).</summary>
public sealed class StreamOptions
{
    /// <summary>How often a durable provider looks for new events when not woken by a publish in this process. Default 200 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Events read per poll; up to four batches are held in memory awaiting delivery. Default 2,000.</summary>
    public int BatchSize { get; set; } = 2_000;

    /// <summary>Deliveries of one event before it moves to the dead letters (and an error is logged). Default 10.</summary>
    public int MaxDeliveryAttempts { get; set; } = 10;

    /// <summary>Delay before the first redelivery; it doubles at each attempt. Default 100 ms.</summary>
    public TimeSpan InitialRedeliveryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the redelivery delay. Default 30 s.</summary>
    public TimeSpan MaxRedeliveryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Streams delivered concurrently (events of one stream are always delivered one at a time, in order). Default 64.</summary>
    public int MaxConcurrentStreams { get; set; } = 64;
}

/// <summary>An event's payload as held between publishing and delivery; each consumer gets its own copy.</summary>
internal abstract class StreamPayload
{
    public abstract object? As(Type type);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { IncludeFields = true };
}

internal sealed class ObjectPayload(object? value) : StreamPayload
{
    public override object? As(Type type) =>
        value is null ? null
        : type.IsInstanceOfType(value) ? DeepCopier.Copy(value)
        : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json), type, Json);
}

internal sealed class JsonPayload(byte[] utf8) : StreamPayload
{
    public override object? As(Type type) => JsonSerializer.Deserialize(utf8, type, Json);
}

internal sealed class QueuedEvent(long sequenceNumber, StreamId stream, string eventId, StreamPayload payload)
{
    public long SequenceNumber { get; } = sequenceNumber;

    public StreamId Stream { get; } = stream;

    public string EventId { get; } = eventId;

    public StreamPayload Payload { get; } = payload;

    public int Attempts { get; set; }

    /// <summary>Consumers that already processed this event, so a retry goes only to those that failed.</summary>
    public HashSet<string> DeliveredTo { get; } = new(StringComparer.Ordinal);
}

internal sealed class StreamSubscription(StreamProviderBase provider, StreamId stream, Type itemType, ActivationData? owner, Func<object?, StreamSequenceToken, Task> onNext)
{
    public Guid Id { get; } = Guid.NewGuid();

    public StreamProviderBase Provider { get; } = provider;

    public StreamId Stream { get; } = stream;

    public Type ItemType { get; } = itemType;

    public ActivationData? Owner { get; } = owner;

    public Func<object?, StreamSequenceToken, Task> OnNext { get; } = onNext;

    public void Detach() => Provider.RemoveSubscription(this);
}

internal sealed class SubscriptionHandle<T>(StreamSubscription subscription) : StreamSubscriptionHandle<T>
{
    public override StreamId StreamId => subscription.Stream;

    public override Guid HandleId => subscription.Id;

    public override Task UnsubscribeAsync()
    {
        subscription.Detach();
        subscription.Owner?.RemoveSubscription(subscription);
        return Task.CompletedTask;
    }
}

internal sealed class AsyncStream<T>(StreamProviderBase provider, StreamId id) : IAsyncStream<T>
{
    public StreamId StreamId => id;

    public Task OnNextAsync(T item) =>
        provider.AppendAsync<T>([new StreamEvent<T>(id, NewEventId(), item)], deduplicate: false, CancellationToken.None);

    public Task OnNextBatchAsync(IEnumerable<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return provider.AppendAsync<T>([.. batch.Select(item => new StreamEvent<T>(id, NewEventId(), item))], deduplicate: false, CancellationToken.None);
    }

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return SubscribeAsync((item, token) => observer.OnNextAsync(item, token));
    }

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(Func<T, StreamSequenceToken?, Task> onNext)
    {
        ArgumentNullException.ThrowIfNull(onNext);
        var subscription = provider.AddSubscription(id, typeof(T), ActivationTaskScheduler.CurrentActivation, (item, token) => onNext((T)item!, token));
        return Task.FromResult<StreamSubscriptionHandle<T>>(new SubscriptionHandle<T>(subscription));
    }

    private static string NewEventId() => Guid.NewGuid().ToString("N");
}

/// <summary>What every provider shares: subscriptions, routing of an event to its consumers, and the delivery engine.</summary>
internal abstract class StreamProviderBase : IStreamProvider
{
    private readonly Lock _subscriptionsLock = new();
    private ImmutableDictionary<StreamId, ImmutableArray<StreamSubscription>> _subscriptions = ImmutableDictionary<StreamId, ImmutableArray<StreamSubscription>>.Empty;

    protected StreamProviderBase(string name, GrainRuntime runtime)
    {
        Name = name;
        Runtime = runtime;
    }

    public string Name { get; }

    protected GrainRuntime Runtime { get; }

    public IAsyncStream<T> GetStream<T>(StreamId id) => new AsyncStream<T>(this, id);

    public Task<bool[]> PublishBatchAsync<T>(IReadOnlyList<StreamEvent<T>> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (string.IsNullOrEmpty(events[i]?.EventId))
            {
                throw new ArgumentException($"Event {i} of the batch has no EventId; PublishBatchAsync needs one per event to make publishing idempotent.", nameof(events));
            }
        }

        return AppendAsync(events, deduplicate: true, cancellationToken);
    }

    public abstract Task<bool[]> AppendAsync<T>(IReadOnlyList<StreamEvent<T>> events, bool deduplicate, CancellationToken cancellationToken);

    public abstract void Start();

    public abstract Task StopAsync(CancellationToken cancellationToken);

    public StreamSubscription AddSubscription(StreamId stream, Type itemType, ActivationData? owner, Func<object?, StreamSequenceToken, Task> onNext)
    {
        var subscription = new StreamSubscription(this, stream, itemType, owner, onNext);
        if (owner is not null && !owner.TryAddSubscription(subscription))
        {
            throw new InvalidOperationException($"{owner.Id} cannot subscribe to {stream}: it is deactivating.");
        }

        lock (_subscriptionsLock)
        {
            var current = _subscriptions.GetValueOrDefault(stream, []);
            _subscriptions = _subscriptions.SetItem(stream, current.Add(subscription));
        }

        return subscription;
    }

    public void RemoveSubscription(StreamSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            if (!_subscriptions.TryGetValue(subscription.Stream, out var current))
            {
                return;
            }

            var remaining = current.Remove(subscription);
            _subscriptions = remaining.IsEmpty ? _subscriptions.Remove(subscription.Stream) : _subscriptions.SetItem(subscription.Stream, remaining);
        }
    }

    /// <summary>
    /// Delivers one event to every consumer of its stream: implicit subscriber grains (activated if needed), grain
    /// subscriptions (as turns of their activation) and other subscriptions. Throws if any consumer failed; consumers that
    /// succeeded are remembered on the event and skipped when it is retried.
    /// </summary>
    public async Task DeliverAsync(QueuedEvent queued, CancellationToken cancellationToken)
    {
        var token = new StreamSequenceToken(queued.SequenceNumber, queued.EventId);
        List<Exception>? errors = null;
        var handled = new HashSet<string>(StringComparer.Ordinal);

        if (Runtime.Registry.ImplicitSubscribers.TryGetValue(queued.Stream.Namespace, out var grainClasses))
        {
            foreach (var grainClass in grainClasses)
            {
                var grainId = new GrainId(grainClass.TypeName, queued.Stream.Key);
                var key = "g:" + grainId;
                handled.Add(key);
                if (queued.DeliveredTo.Contains(key))
                {
                    continue;
                }

                try
                {
                    await Runtime.SendAsync(grainId, grainClass, a => DeliverToActivationAsync(a, queued, token), interleave: false, $"stream {queued.Stream}")
                        .WaitAsync(cancellationToken).ConfigureAwait(false);
                    queued.DeliveredTo.Add(key);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    (errors ??= []).Add(ex);
                }
            }
        }

        foreach (var subscription in _subscriptions.GetValueOrDefault(queued.Stream, []))
        {
            var key = subscription.Owner is { } owner ? "g:" + owner.Id : "s:" + subscription.Id;
            if (!handled.Add(key) || queued.DeliveredTo.Contains(key))
            {
                continue;
            }

            try
            {
                if (subscription.Owner is { } activation)
                {
                    var message = new Message(a => DeliverToActivationAsync(a, queued, token), interleave: false, keepAlive: true, $"stream {queued.Stream}");

                    // An activation that is going away takes its subscriptions with it: nothing left to deliver to.
                    if (activation.TryEnqueue(message))
                    {
                        await message.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await subscription.OnNext(queued.Payload.As(subscription.ItemType), token).WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                queued.DeliveredTo.Add(key);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                (errors ??= []).Add(ex);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (errors is not null)
        {
            throw errors.Count == 1 ? errors[0] : new AggregateException(errors);
        }
    }

    private async Task<object?> DeliverToActivationAsync(ActivationData activation, QueuedEvent queued, StreamSequenceToken token)
    {
        foreach (var subscription in _subscriptions.GetValueOrDefault(queued.Stream, []))
        {
            if (ReferenceEquals(subscription.Owner, activation))
            {
                await subscription.OnNext(queued.Payload.As(subscription.ItemType), token);
            }
        }

        return null;
    }
}
