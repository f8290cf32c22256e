using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Grains.Ingest;

/// <summary>
/// Feeds the signal log to account grains, in log order, one step of
/// <see cref="CibOptions.PumpBatchSize"/> signals at a time (see <see cref="ApplyStepAsync"/>). Derived
/// state lives in those grains' memory, so on start the pump replays the log from the beginning.
/// </summary>
public sealed partial class SignalPump : BackgroundService
{
    /// <summary>Account calls a step has in flight at once: enough to keep every core busy, few enough to queue briefly.</summary>
    private const int AccountCallsInFlight = 64;

    private const string StoppedMessage = "the signal pump has stopped (the silo is shutting down); the signals waited for are applied after a restart";

    private readonly SignalLog _log;
    private readonly IGrainFactory _grains;
    private readonly CibOptions _options;
    private readonly ILogger<SignalPump> _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private readonly List<(long Seq, TaskCompletionSource Done)> _waiters = [];
    private long _processed;
    private bool _stopped;

    /// <summary>Creates the pump.</summary>
    public SignalPump(SignalLog log, IGrainFactory grains, IOptions<CibOptions> options, ILogger<SignalPump> logger)
    {
        _log = log;
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _log.Appended += _ => _wake.Release();
    }

    /// <summary>Sequence number of the last signal applied.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Completes when every signal up to <paramref name="seq"/> has been applied; fails once the pump has stopped.</summary>
    public Task WaitForAsync(long seq, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_processed >= seq)
            {
                return Task.CompletedTask;
            }
            if (_stopped)
            {
                return Task.FromException(new OperationCanceledException(StoppedMessage));
            }
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((seq, tcs));
            _wake.Release();
            return tcs.Task.WaitAsync(ct);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            // A waiter (a sweep) would otherwise wait for ever, holding its grain's turn, and the runtime's shutdown
            // after this one would wait for that turn until it timed out.
            lock (_gate)
            {
                _stopped = true;
                foreach (var (_, done) in _waiters)
                {
                    done.TrySetException(new OperationCanceledException(StoppedMessage));
                }
                _waiters.Clear();
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var started = DateTimeOffset.UtcNow;
        var replayTo = _log.Head;
        var replayFrom = Processed;
        var nextProgress = started + ReplayProgress.Interval;
        if (replayTo > 0)
        {
            LogReplay(_logger, replayTo);
        }
        // Read but not yet applied: a step is often much shorter than a read (it spans at most PumpStepSpan of event
        // time), and reading the rest again for the next step cost more than applying it.
        var buffered = new List<(long Seq, Detection.Signals.Signal Signal)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (buffered.Count < _options.PumpBatchSize)
                {
                    buffered.AddRange(_log.Read(buffered.Count > 0 ? buffered[^1].Seq : Processed, _options.PumpBatchSize - buffered.Count));
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }
            if (buffered.Count == 0)
            {
                if (replayTo > 0)
                {
                    LogReplayed(_logger, replayTo, (DateTimeOffset.UtcNow - started).TotalSeconds);
                    replayTo = 0;
                }
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            var batch = buffered[..FirstStepLength(buffered, _options.PumpStepSpan)];
            try
            {
                await ApplyStepAsync(_grains, batch);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Account grains de-duplicate by sequence number, so retrying the whole step is safe.
                LogStepFailed(_logger, batch[0].Seq, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }
            buffered.RemoveRange(0, batch.Count);
            Advance(batch[^1].Seq);
            if (replayTo > 0 && DateTimeOffset.UtcNow >= nextProgress)
            {
                LogReplayProgress(_logger, ReplayProgress.Describe(replayFrom, batch[^1].Seq, Math.Max(replayTo, replayFrom), DateTimeOffset.UtcNow - started));
                nextProgress = DateTimeOffset.UtcNow + ReplayProgress.Interval;
            }
        }
    }

    /// <summary>
    /// Applies one step: each account of the step gets its signals (all accounts in parallel) and returns its co-activity
    /// actions by partition; then each partition gets the step's actions on its targets in one call, in event-time order,
    /// and sends the evidence on to the edge partitions. Merging at the step makes the calls per step about one per account
    /// plus one per partition, where accounts calling partitions themselves made one per account and partition it touched,
    /// several per signal on a feed where most accounts act once a step; it also makes what a partition sees independent
    /// of which account finished first. Completes when the edge partitions have the step's evidence.
    /// </summary>
    public static async Task ApplyStepAsync(IGrainFactory grains, IReadOnlyList<(long Seq, Detection.Signals.Signal Signal)> step)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(step);
        var accounts = step.GroupBy(x => x.Signal.Account, StringComparer.Ordinal).ToArray();
        var routed = new List<RoutedActions>(accounts.Length);
        // In waves, so that a request arriving during a step (a network query) waits behind at most a wave of account
        // turns in the thread pool's queue, not behind all of a step's hundreds.
        foreach (var wave in accounts.Chunk(AccountCallsInFlight))
        {
            routed.AddRange(await Task.WhenAll(wave.Select(g =>
            {
                var items = g.ToArray();
                return grains.GetGrain<IAccountGrain>(g.Key).ApplyAsync(new SignalBatch(
                    Array.ConvertAll(items, x => x.Signal), Array.ConvertAll(items, x => x.Seq)));
            })));
        }
        var byPartition = new Dictionary<string, List<TargetAction>>(StringComparer.Ordinal);
        foreach (var account in routed)
        {
            foreach (var (partition, actions) in account.ByPartition)
            {
                if (!byPartition.TryGetValue(partition, out var list))
                {
                    byPartition[partition] = list = [];
                }
                list.AddRange(actions);
            }
        }
        await Task.WhenAll(byPartition.Select(p => grains.GetGrain<ICoActivityPartitionGrain>(p.Key)
            .ObserveAsync(new ActionBatch(p.Value.OrderBy(a => a.Ticks).ToArray()))));
    }

    /// <summary>
    /// How many signals from the start of <paramref name="batch"/> form one step: the longest prefix
    /// whose timestamps lie within <paramref name="span"/> of each other (at least one signal).
    /// </summary>
    public static int FirstStepLength(IReadOnlyList<(long Seq, Detection.Signals.Signal Signal)> batch, TimeSpan span)
    {
        var min = long.MaxValue;
        var max = long.MinValue;
        for (var i = 0; i < batch.Count; i++)
        {
            var t = batch[i].Signal.Timestamp.UtcTicks;
            min = Math.Min(min, t);
            max = Math.Max(max, t);
            if (max - min > span.Ticks)
            {
                return Math.Max(1, i);
            }
        }
        return batch.Count;
    }

    private void Advance(long seq)
    {
        lock (_gate)
        {
            _processed = seq;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Seq <= seq)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying the signal log up to {Head} to rebuild co-activity state")]
    private static partial void LogReplay(ILogger logger, long head);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying the signal log: {Progress}")]
    private static partial void LogReplayProgress(ILogger logger, string progress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed the signal log up to {Head} in {Seconds:F1} s")]
    private static partial void LogReplayed(ILogger logger, long head, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the signal log failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying signals from {Seq} failed; retrying the step")]
    private static partial void LogStepFailed(ILogger logger, long seq, Exception ex);
}
