using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cib.Detection.Formats;
using Cib.Detection.Signals;
using Spectre.Console;

namespace Cib.Client;

/// <summary>
/// <c>cib load</c>: drives a running silo the way production would and measures what callers see:
/// simulated signals sent over HTTP in NDJSON batches by several concurrent senders (a batch answered
/// 429 or 503 is resent after its Retry-After, as a well-behaved client must), while one querier lists
/// networks without pause; then one sweep. Prints ingest throughput, the query latency percentiles
/// measured during ingest, and the sweep's time.
/// </summary>
internal static class LoadCommand
{
    /// <summary>What one load run measured.</summary>
    /// <param name="Signals">Signals acknowledged.</param>
    /// <param name="IngestSeconds">Wall time from the first send to the last acknowledgement.</param>
    /// <param name="Refusals">Batches answered 429 or 503 (and resent).</param>
    /// <param name="QueryMilliseconds">Latency of every network query made during ingest, ascending.</param>
    public sealed record Result(long Signals, double IngestSeconds, int Refusals, double[] QueryMilliseconds)
    {
        /// <summary>Nearest-rank percentile of the query latencies, in ms; NaN when none was made.</summary>
        public double QueryPercentile(double p) =>
            QueryMilliseconds.Length == 0 ? double.NaN : QueryMilliseconds[Math.Clamp((int)Math.Ceiling(p / 100 * QueryMilliseconds.Length) - 1, 0, QueryMilliseconds.Length - 1)];
    }

    /// <summary>Sends <paramref name="batches"/> (NDJSON bodies) with <paramref name="senders"/> concurrent
    /// senders while querying <c>GET /v1/networks</c> in a loop; returns once every batch is acknowledged.</summary>
    public static async Task<Result> RunAsync(CibClient ingest, CibClient query, IReadOnlyList<(string Body, int Count)> batches, int senders, CancellationToken ct)
    {
        // The querier measures the silo, not this process: without threads to spare, its continuations would wait in the
        // thread pool's queue behind the senders' work, which the pool grows only about twice a second.
        ThreadPool.GetMinThreads(out var minWorkers, out var minCompletionPorts);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, senders + 8), minCompletionPorts);
        var next = -1;
        long acknowledged = 0;
        var refusals = 0;
        var latencies = new ConcurrentBag<double>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var querier = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    await query.ListNetworksAsync(limit: 100, ct: done.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }, CancellationToken.None);
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                while (true)
                {
                    try
                    {
                        var r = await ingest.IngestNdjsonAsync(batches[i].Body, ct);
                        Interlocked.Add(ref acknowledged, r.Accepted + r.Duplicates);
                        break;
                    }
                    catch (CibApiException ex) when (ex.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref refusals);
                        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                    }
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var seconds = wall.Elapsed.TotalSeconds;
        await done.CancelAsync();
        await querier;
        return new Result(acknowledged, seconds, refusals, [.. latencies.Order()]);
    }

    /// <summary>NDJSON bodies of <paramref name="size"/> signals each.</summary>
    public static List<(string Body, int Count)> Batches(IReadOnlyList<Signal> signals, int size)
    {
        var batches = new List<(string, int)>(signals.Count / size + 1);
        foreach (var chunk in signals.Chunk(size))
        {
            batches.Add((NdjsonSignalWriter.ToDocument(chunk), chunk.Length));
        }
        return batches;
    }

    /// <summary>Prints <paramref name="r"/>.</summary>
    public static void Print(IAnsiConsole con, Result r, int senders, int batchSize)
    {
        con.MarkupLineInterpolated($"ingest over HTTP: {r.Signals:N0} signals acknowledged in {r.IngestSeconds:F1} s = {r.Signals / Math.Max(1e-9, r.IngestSeconds):N0} signals/s ({senders} senders, {batchSize:N0} per batch, {r.Refusals:N0} batches refused with 429/503 and resent)");
        con.MarkupLineInterpolated($"network queries during ingest (GET /v1/networks?limit=100): {r.QueryMilliseconds.Length:N0}, p50 {r.QueryPercentile(50):F1} ms, p90 {r.QueryPercentile(90):F1} ms, p99 {r.QueryPercentile(99):F1} ms, max {r.QueryPercentile(100):F1} ms");
    }
}
