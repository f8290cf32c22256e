using Microsoft.Extensions.Logging;

namespace Cib.Runtime;

/// <summary>How a grain timer behaves.</summary>
public readonly struct GrainTimerCreationOptions
{
    /// <summary>Creates options for a one-shot timer due immediately; set <see cref="DueTime"/> and <see cref="Period"/>.</summary>
    public GrainTimerCreationOptions()
    {
    }

    /// <summary>Creates options for a timer first due after <paramref name="dueTime"/> and then every <paramref name="period"/>.</summary>
    public GrainTimerCreationOptions(TimeSpan dueTime, TimeSpan period)
    {
        DueTime = dueTime;
        Period = period;
    }

    /// <summary>Delay before the first tick. <see cref="Timeout.InfiniteTimeSpan"/> creates a stopped timer.</summary>
    public TimeSpan DueTime { get; init; } = TimeSpan.Zero;

    /// <summary>Delay between the end of one tick and the start of the next. <see cref="Timeout.InfiniteTimeSpan"/> makes the timer one-shot.</summary>
    public TimeSpan Period { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Whether ticks may interleave with requests at awaits (as in a reentrant grain).</summary>
    public bool Interleave { get; init; }

    /// <summary>Whether ticks count as activity that keeps the activation from being collected as idle.</summary>
    public bool KeepAlive { get; init; }
}

/// <summary>A timer registered by a grain. Disposing it stops it; deactivation disposes it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Reschedules the timer.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly bool _interleave;
    private readonly bool _keepAlive;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private CancellationTokenSource? _schedule;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        _interleave = options.Interleave;
        _keepAlive = options.KeepAlive;
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            _schedule?.Cancel();
            _schedule?.Dispose();
            _schedule = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
            var token = _schedule.Token;
            _ = Task.Run(() => RunAsync(dueTime, period, token), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            _schedule?.Dispose();
            _schedule = null;
        }

        _activation.RemoveTimer(this);
    }

    internal static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A timer's due time must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A timer's period must be positive, or Timeout.InfiniteTimeSpan for a one-shot timer.");
        }
    }

    private async Task RunAsync(TimeSpan dueTime, TimeSpan period, CancellationToken token)
    {
        var delay = dueTime;
        while (delay != Timeout.InfiniteTimeSpan)
        {
            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // The next delay starts only after this tick's turn completed: that is what keeps a slow callback from overlapping itself.
            var disposedToken = _disposed.Token;
            var message = new Message(
                _ => InvokeCallbackAsync(disposedToken),
                _interleave,
                _keepAlive,
                "timer tick");
            if (!_activation.TryEnqueue(message))
            {
                return;
            }

            object? result;
            try
            {
                result = await message.Completion.ConfigureAwait(false);
            }
            catch (InconsistentStateException)
            {
                // The activation is being deactivated because of it; this timer dies with it.
                return;
            }

            if (ReferenceEquals(result, Message.Rerouted) || token.IsCancellationRequested)
            {
                return;
            }

            delay = period;
        }
    }

    private async Task<object?> InvokeCallbackAsync(CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            await _callback(_state, token);
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            // A failing tick must not stop the timer (Orleans semantics): log it and keep ticking.
            RuntimeLog.TimerCallbackFailed(_activation.Runtime.Logger, ex, _activation.Id);
        }

        return null;
    }
}
