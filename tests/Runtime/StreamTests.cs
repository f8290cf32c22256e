using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cib.Runtime.Tests;

public sealed class StreamTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _files = new();

    public void Dispose() => _files.Dispose();

    private Task<TestSilo> StartAsync(string kind, bool start = true, Action<StreamOptions>? options = null) =>
        TestSilo.StartAsync(
            silo =>
            {
                if (kind == "sqlite")
                {
                    silo.AddSqliteStreams(TestConstants.Streams, _files.Open());
                }
                else
                {
                    silo.AddMemoryStreams(TestConstants.Streams);
                }

                silo.Configure<StreamOptions>(o =>
                {
                    o.PollInterval = TimeSpan.FromMilliseconds(20);
                    o.InitialRedeliveryDelay = TimeSpan.FromMilliseconds(10);
                    options?.Invoke(o);
                });
            },
            start);

    private static StreamEvent<OrderEvent>[] Orders(string key, int from, int count) =>
        [.. Enumerable.Range(from, count).Select(n => new StreamEvent<OrderEvent>(StreamId.Create("orders", key), $"{key}-{n}", new OrderEvent(n)))];

    private static List<int> Applied(Probe probe, string key) =>
        [.. probe.WithPrefix($"applied:{key}:").Select(e => int.Parse(e[(e.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Events_are_delivered_in_order_per_stream_to_implicit_subscribers(string kind)
    {
        await using var silo = await StartAsync(kind);
        var keys = Enumerable.Range(0, 10).Select(i => $"s{i}").ToArray();

        // Interleave streams inside each batch, so that order per stream is not an accident of batching.
        for (var batch = 0; batch < 10; batch++)
        {
            var events = keys.SelectMany(k => Orders(k, batch * 20, 20)).OrderBy(e => e.EventId.GetHashCode(StringComparison.Ordinal)).ToList();
            events = [.. events.GroupBy(e => e.Stream).SelectMany(g => g.OrderBy(e => e.Item.Number))];
            await silo.Streams().PublishBatchAsync(events);
        }

        await Wait.Until(() => keys.All(k => Applied(silo.Probe, k).Count == 200), "all events");
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, 200), Applied(silo.Probe, key));
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_failing_consumer_gets_the_event_again_and_applies_it_once(string kind)
    {
        await using var silo = await StartAsync(kind);
        silo.Probe.FailTimes("before:k:2", 2);
        silo.Probe.FailTimes("after:k:3", 1);

        await silo.Streams().PublishBatchAsync(Orders("k", 1, 5));

        await Wait.Until(() => Applied(silo.Probe, "k").Count == 5, "five applied events");
        Assert.Equal([1, 2, 3, 4, 5], Applied(silo.Probe, "k"));
        Assert.Equal(3, silo.Probe.CountOf("seen:k:2"));
        Assert.Equal(2, silo.Probe.CountOf("seen:k:3"));
        Assert.Equal(1, silo.Probe.CountOf("duplicate:k:3"));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task PublishBatch_ignores_event_ids_it_already_accepted(string kind)
    {
        await using var silo = await StartAsync(kind, start: false);
        var stream = StreamId.Create("orders", "dup");

        var first = await silo.Streams().PublishBatchAsync<OrderEvent>([new(stream, "a", new OrderEvent(1)), new(stream, "b", new OrderEvent(2)), new(stream, "a", new OrderEvent(3))]);
        var second = await silo.Streams().PublishBatchAsync<OrderEvent>([new(stream, "b", new OrderEvent(4)), new(stream, "c", new OrderEvent(5))]);

        Assert.Equal(new[] { true, true, false }, first);
        Assert.Equal(new[] { false, true }, second);
    }

    [Fact]
    public async Task Sqlite_event_ids_stay_known_after_a_restart()
    {
        var stream = StreamId.Create("orders", "dup");
        await using (var first = await StartAsync("sqlite", start: false))
        {
            Assert.Equal(new[] { true }, await first.Streams().PublishBatchAsync([new StreamEvent<OrderEvent>(stream, "once", new OrderEvent(1))]));
        }

        await using var second = await StartAsync("sqlite", start: false);
        Assert.Equal(new[] { false }, await second.Streams().PublishBatchAsync([new StreamEvent<OrderEvent>(stream, "once", new OrderEvent(1))]));
    }

    [Fact]
    public async Task Accepted_but_undelivered_events_are_delivered_after_a_restart()
    {
        // The first process accepts events but dies before delivering any of them.
        await using (var first = await StartAsync("sqlite", start: false))
        {
            await first.Streams().PublishBatchAsync(Orders("restart", 1, 50));
        }

        await using var second = await StartAsync("sqlite");
        await Wait.Until(() => Applied(second.Probe, "restart").Count == 50, "all events after restart");
        Assert.Equal(Enumerable.Range(1, 50), Applied(second.Probe, "restart"));
    }

    [Fact]
    public async Task Delivered_events_are_not_delivered_again_after_a_graceful_restart()
    {
        await using (var first = await StartAsync("sqlite"))
        {
            await first.Streams().PublishBatchAsync(Orders("once", 1, 20));
            await Wait.Until(() => Applied(first.Probe, "once").Count == 20, "first delivery");
        }

        await using var second = await StartAsync("sqlite");
        await second.Streams().PublishBatchAsync(Orders("once", 21, 1));
        await Wait.Until(() => Applied(second.Probe, "once").Count == 1, "the new event");
        Assert.Equal([21], Applied(second.Probe, "once"));
    }

    [Fact]
    public async Task An_event_that_keeps_failing_moves_to_the_dead_letters_and_the_stream_goes_on()
    {
        await using var silo = await StartAsync("sqlite", options: o => o.MaxDeliveryAttempts = 3);
        silo.Probe.FailTimes("before:poison:2", int.MaxValue);
        var quiet = StreamId.Create("orders", "quiet");

        await silo.Streams().PublishBatchAsync([.. Orders("poison", 1, 3), new StreamEvent<OrderEvent>(quiet, "quiet-1", new OrderEvent(1))]);

        await Wait.Until(() => Applied(silo.Probe, "poison").Count == 2, "the events around the poison one");
        Assert.Equal([1, 3], Applied(silo.Probe, "poison"));
        Assert.Equal(3, silo.Probe.CountOf("seen:poison:2"));
        Assert.Equal([1], Applied(silo.Probe, "quiet"));

        using var connection = new SqliteConnection($"Data Source={_files.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, attempts FROM stream_dead_letters";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("poison-2", reader.GetString(0));
        Assert.Equal(3, reader.GetInt32(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Explicit_subscription_outside_grains_receives_events()
    {
        await using var silo = await StartAsync("memory");
        var received = new List<int>();
        var stream = silo.Streams().GetStream<OrderEvent>(StreamId.Create("other", "x"));
        var handle = await stream.SubscribeAsync((item, token) =>
        {
            lock (received)
            {
                received.Add(item.Number);
            }

            return Task.CompletedTask;
        });

        await stream.OnNextAsync(new OrderEvent(1));
        await stream.OnNextBatchAsync([new OrderEvent(2), new OrderEvent(3)]);
        await Wait.Until(() => { lock (received) { return received.Count == 3; } }, "three events");
        await handle.UnsubscribeAsync();

        Assert.Equal([1, 2, 3], received);
    }

    /// <summary>
    /// Many streams published in large batches: every event arrives once, in order per stream. The rates are printed
    /// for information only; stream throughput is measured in bench/, not asserted here.
    /// </summary>
    [Fact]
    public async Task Sqlite_batches_over_many_streams_deliver_every_event_once_in_order()
    {
        await using var silo = await StartAsync("sqlite");
        const int streams = 500;
        const int perStream = 100;
        var events = Enumerable.Range(0, perStream)
            .SelectMany(n => Enumerable.Range(0, streams).Select(s => new StreamEvent<OrderEvent>(StreamId.Create("orders", $"p{s}"), $"p{s}-{n}", new OrderEvent(n))))
            .ToList();

        var clock = Stopwatch.StartNew();
        foreach (var chunk in events.Chunk(5_000))
        {
            await silo.Streams().PublishBatchAsync(chunk);
        }

        var publishRate = events.Count / clock.Elapsed.TotalSeconds;
        await Wait.Until(() => silo.Probe.Events.Count(e => e.StartsWith("applied:", StringComparison.Ordinal)) >= events.Count, "all deliveries", timeoutSeconds: 120);
        var deliveryRate = events.Count / clock.Elapsed.TotalSeconds;
        output.WriteLine($"published {events.Count} events at {publishRate:F0}/s; delivered end to end at {deliveryRate:F0}/s");

        var expected = Enumerable.Range(0, perStream).ToList();
        for (var s = 0; s < streams; s++)
        {
            Assert.Equal(expected, Applied(silo.Probe, $"p{s}"));
        }
    }
}
