using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cib.Runtime;

/// <summary>One unit of work for an activation: a grain call, a timer tick, a reminder or a stream delivery.</summary>
internal sealed class Message
{
    /// <summary>Result of a message that never started because its activation went away; the sender retries on a new activation.</summary>
    public static readonly object Rerouted = new();

    // Continuations run asynchronously so that completing a call never runs the caller's code on the callee's thread.
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Message(Func<ActivationData, Task<object?>> work, bool interleave, bool keepAlive, string description)
    {
        Work = work;
        Interleave = interleave;
        KeepAlive = keepAlive;
        Description = description;
    }

    public Func<ActivationData, Task<object?>> Work { get; }

    public bool Interleave { get; }

    public bool KeepAlive { get; }

    public string Description { get; }

    /// <summary>Whether the message's turns run on the background threads (<see cref="BackgroundWorkAttribute"/>).</summary>
    public bool Background { get; init; }

    public Task<object?> Completion => _completion.Task;

    public void Complete(object? result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void Reroute() => _completion.TrySetResult(Rerouted);
}

/// <summary>
/// Runs the tasks of one activation one at a time. Grain code started here keeps coming back here after each await
/// (await captures <see cref="TaskScheduler.Current"/>), which is what makes code between awaits single-threaded.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    // Bounds how long one activation holds a pool thread, so that a busy activation cannot starve the others.
    private const int TasksPerDispatch = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? t_current;

    private readonly Queue<Task> _queue = new();
    private readonly Lock _lock = new();
    private bool _dispatching;

    public ActivationTaskScheduler(ActivationData activation) => Activation = activation;

    public ActivationData Activation { get; }

    /// <summary>The activation whose code is running on this thread, if any.</summary>
    public static ActivationData? CurrentActivation => t_current?.Activation;

    public override int MaximumConcurrencyLevel => 1;

    public Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            _queue.Enqueue(task);
            if (_dispatching)
            {
                return;
            }

            _dispatching = true;
        }

        Dispatch();
    }

    private void Dispatch()
    {
        if (Activation.RunsBackgroundWork)
        {
            BackgroundThreads.Queue(this);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            var onBackground = BackgroundThreads.IsBackgroundThread;
            for (var i = 0; i < TasksPerDispatch; i++)
            {
                // A background message ended and a query began, or the other way round: go on in the other lane.
                if (Activation.RunsBackgroundWork != onBackground)
                {
                    break;
                }

                Task? task;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out task))
                    {
                        _dispatching = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            t_current = previous;
        }

        Dispatch();
    }

    // Inlining is safe only on the thread that currently owns this activation: anything else would be a second thread.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        ReferenceEquals(t_current, this) && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return _queue.ToArray();
        }
    }
}

internal enum ActivationState
{
    Created,
    Activating,
    Valid,
    Deactivating,
    Invalid,
}

/// <summary>One in-memory instance of a grain, with its message queue, timers and stream subscriptions.</summary>
internal sealed class ActivationData
{
    private readonly Lock _lock = new();
    private readonly List<Message> _waiting = [];
    private readonly List<GrainTimer> _timers = [];
    private readonly List<StreamSubscription> _subscriptions = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waitingInterleavable;
    private int _running;
    private int _backgroundRunning;
    private ActivationState _state;
    private DeactivationReason? _deactivationRequested;
    private long _lastActiveMs = Environment.TickCount64;
    private long _keepAliveUntilMs;

    public ActivationData(GrainId id, GrainClassInfo grainClass, GrainRuntime runtime)
    {
        Id = id;
        GrainClass = grainClass;
        Runtime = runtime;
        Scheduler = new ActivationTaskScheduler(this);
    }

    public GrainId Id { get; }

    public GrainClassInfo GrainClass { get; }

    public GrainRuntime Runtime { get; }

    public ActivationTaskScheduler Scheduler { get; }

    /// <summary>Whether a background message (<see cref="BackgroundWorkAttribute"/>) is running: its turns, and those of
    /// anything interleaved with it, then go to the background threads.</summary>
    public bool RunsBackgroundWork => Volatile.Read(ref _backgroundRunning) > 0;

    public Grain? Instance { get; private set; }

    public List<IPersistentStateLoader> PersistentStates { get; } = [];

    /// <summary>Completes once this activation is gone from the directory.</summary>
    public Task Deactivated => _deactivated.Task;

    public ActivationState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Queues a message; false if this activation is going away (the sender waits for <see cref="Deactivated"/> and retries).</summary>
    public bool TryEnqueue(Message message)
    {
        var activate = false;
        lock (_lock)
        {
            if (_state >= ActivationState.Deactivating || _deactivationRequested is not null)
            {
                return false;
            }

            _waiting.Add(message);
            if (message.Interleave)
            {
                _waitingInterleavable++;
            }

            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Activating;
                activate = true;
            }
            else
            {
                PumpLocked();
            }
        }

        if (activate)
        {
            _ = Scheduler.Run(ActivateAsync);
        }

        return true;
    }

    public void RequestDeactivation(DeactivationReason reason)
    {
        var finishNow = false;
        lock (_lock)
        {
            if (_state >= ActivationState.Deactivating)
            {
                return;
            }

            _deactivationRequested ??= reason;
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                finishNow = true;
            }
            else
            {
                PumpLocked();
            }
        }

        if (finishNow)
        {
            Finish([]);
        }
    }

    /// <summary>Starts deactivation if nothing ran or waited for at least <paramref name="ageMs"/>.</summary>
    public bool TryCollect(long nowMs, long ageMs)
    {
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _deactivationRequested is not null || _running > 0 || _waiting.Count > 0
                || nowMs - _lastActiveMs < ageMs || nowMs < _keepAliveUntilMs)
            {
                return false;
            }

            _deactivationRequested = new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for more than {TimeSpan.FromMilliseconds(ageMs)}.");
            PumpLocked();
            return true;
        }
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        lock (_lock)
        {
            var until = Environment.TickCount64 + (long)Math.Min(timeSpan.TotalMilliseconds, long.MaxValue / 4);
            _keepAliveUntilMs = Math.Max(_keepAliveUntilMs, until);
        }
    }

    public IGrainTimer RegisterTimer(Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        GrainTimer.Validate(options.DueTime, options.Period);
        var timer = new GrainTimer(this, callback, state, options);
        lock (_lock)
        {
            if (_state >= ActivationState.Deactivating)
            {
                throw new InvalidOperationException($"Cannot register a timer on {Id}: the activation is deactivating.");
            }

            _timers.Add(timer);
        }

        timer.Change(options.DueTime, options.Period);
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    public bool TryAddSubscription(StreamSubscription subscription)
    {
        lock (_lock)
        {
            if (_state >= ActivationState.Deactivating)
            {
                return false;
            }

            _subscriptions.Add(subscription);
            return true;
        }
    }

    public void RemoveSubscription(StreamSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private void PumpLocked()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_state != ActivationState.Valid)
        {
            return;
        }

        if (_deactivationRequested is not null)
        {
            if (_running == 0)
            {
                BeginDeactivationLocked(_deactivationRequested);
            }

            return;
        }

        var reentrant = GrainClass.Reentrant;
        for (var i = 0; i < _waiting.Count;)
        {
            if (_running > 0 && !reentrant && _waitingInterleavable == 0)
            {
                break;
            }

            var message = _waiting[i];
            if (_running == 0 || reentrant || message.Interleave)
            {
                _waiting.RemoveAt(i);
                if (message.Interleave)
                {
                    _waitingInterleavable--;
                }

                _running++;
                if (message.Background)
                {
                    _backgroundRunning++;
                }

                _ = Scheduler.Run(() => RunAsync(message));
            }
            else
            {
                i++;
            }
        }
    }

    private async Task RunAsync(Message message)
    {
        try
        {
            var result = await message.Work(this);
            message.Complete(result);
        }
        catch (Exception ex)
        {
            message.Fail(ex);
            if (ex is InconsistentStateException)
            {
                RuntimeLog.InconsistentState(Runtime.Logger, ex, Id);
                RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationError, "Persistent state is inconsistent with storage (ETag conflict); the next call reloads it."));
            }
        }
        finally
        {
            lock (_lock)
            {
                _running--;
                if (message.Background)
                {
                    _backgroundRunning--;
                }

                if (message.KeepAlive)
                {
                    _lastActiveMs = Environment.TickCount64;
                }

                PumpLocked();
            }
        }
    }

    private async Task ActivateAsync()
    {
        try
        {
            Instance = Runtime.CreateGrainInstance(this);
            foreach (var state in PersistentStates)
            {
                await state.ReadStateAsync();
            }

            using var cancellation = new CancellationTokenSource(Runtime.Options.ResponseTimeout);
            await Instance.OnActivateAsync(cancellation.Token);
        }
        catch (Exception ex)
        {
            RuntimeLog.ActivationFailed(Runtime.Logger, ex, Id);
            Message[] failed;
            lock (_lock)
            {
                _state = ActivationState.Invalid;
                failed = [.. _waiting];
                _waiting.Clear();
            }

            ReleaseResources();
            Runtime.RemoveActivation(this);
            _deactivated.TrySetResult();
            foreach (var message in failed)
            {
                message.Fail(ex);
            }

            return;
        }

        RuntimeLog.Activated(Runtime.Logger, Id);
        lock (_lock)
        {
            _state = ActivationState.Valid;
            PumpLocked();
        }
    }

    private void BeginDeactivationLocked(DeactivationReason reason)
    {
        _state = ActivationState.Deactivating;
        Message[] rerouted = [.. _waiting];
        _waiting.Clear();
        _waitingInterleavable = 0;
        _ = Scheduler.Run(() => DeactivateAsync(reason, rerouted));
    }

    private async Task DeactivateAsync(DeactivationReason reason, Message[] rerouted)
    {
        ReleaseResources();
        try
        {
            using var cancellation = new CancellationTokenSource(Runtime.Options.DeactivationTimeout);
            await Instance!.OnDeactivateAsync(reason, cancellation.Token).WaitAsync(Runtime.Options.DeactivationTimeout);
        }
        catch (Exception ex)
        {
            RuntimeLog.DeactivationFailed(Runtime.Logger, ex, Id);
        }

        RuntimeLog.Deactivated(Runtime.Logger, Id, reason.Code, reason.Text);
        lock (_lock)
        {
            _state = ActivationState.Invalid;
        }

        Finish(rerouted);
    }

    private void Finish(Message[] rerouted)
    {
        Runtime.RemoveActivation(this);
        _deactivated.TrySetResult();
        foreach (var message in rerouted)
        {
            message.Reroute();
        }
    }

    private void ReleaseResources()
    {
        GrainTimer[] timers;
        StreamSubscription[] subscriptions;
        lock (_lock)
        {
            timers = [.. _timers];
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Detach();
        }
    }
}
