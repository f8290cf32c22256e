using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Grains.Ingest;

/// <summary>
/// Feeds the signal log to account grains, in log order, one step of
/// <see cref="CibOptions.PumpBatchSize"/> signals at a time: a step groups its signals by account,
/// hands each account its signals, and completes when every account grain has forwarded its actions
/// through the co-activity and edge partitions. Derived state lives in those grains' memory, so on
/// start the pump replays the log from the beginning.
/// </summary>
public sealed partial class SignalPump : BackgroundService
{
    private readonly SignalLog _log;
    private readonly IGrainFactory _grains;
    private readonly CibOptions _options;
    private readonly ILogger<SignalPump> _logger;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private readonly List<(long Seq, TaskCompletionSource Done)> _waiters = [];
    private long _processed;

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

    /// <summary>Completes when every signal up to <paramref name="seq"/> has been applied.</summary>
    public Task WaitForAsync(long seq, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_processed >= seq)
            {
                return Task.CompletedTask;
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
        var started = DateTimeOffset.UtcNow;
        var replayTo = _log.Head;
        if (replayTo > 0)
        {
            LogReplay(_logger, replayTo);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            List<(long Seq, Detection.Signals.Signal Signal)> batch;
            try
            {
                batch = _log.Read(Processed, _options.PumpBatchSize);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }
            if (batch.Count == 0)
            {
                if (replayTo > 0)
                {
                    LogReplayed(_logger, replayTo, (DateTimeOffset.UtcNow - started).TotalSeconds);
                    replayTo = 0;
                }
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            batch = batch[..FirstStepLength(batch, _options.PumpStepSpan)];
            var byAccount = batch.GroupBy(x => x.Signal.Account, StringComparer.Ordinal);
            var calls = new List<Task>();
            foreach (var g in byAccount)
            {
                var items = g.ToArray();
                calls.Add(_grains.GetGrain<IAccountGrain>(g.Key).ApplyAsync(new SignalBatch(
                    Array.ConvertAll(items, x => x.Signal), Array.ConvertAll(items, x => x.Seq))));
            }
            try
            {
                await Task.WhenAll(calls);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Account grains de-duplicate by sequence number, so retrying the whole step is safe.
                LogStepFailed(_logger, batch[0].Seq, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }
            Advance(batch[^1].Seq);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed the signal log up to {Head} in {Seconds:F1} s")]
    private static partial void LogReplayed(ILogger logger, long head, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the signal log failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying signals from {Seq} failed; retrying the step")]
    private static partial void LogStepFailed(ILogger logger, long seq, Exception ex);
}
