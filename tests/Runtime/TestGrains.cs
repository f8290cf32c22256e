using System.Collections.Immutable;

namespace Cib.Runtime.Tests;

public sealed class CounterState
{
    public int Value { get; set; }
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task SetWithoutSaving(int value);

    Task<Guid> GetActivationId();

    Task<int> GetValueSeenOnActivation();

    Task Throw(string message);

    Task Deactivate();

    Task Clear();
}

[GrainType("counter")]
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state, Probe probe) : Grain, ICounterGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private int _valueSeenOnActivation = -1;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _valueSeenOnActivation = state.State.Value;
        probe.Increment("activate:" + this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GetPrimaryKeyString()}:{reason.Code}");
        return Task.CompletedTask;
    }

    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task SetWithoutSaving(int value)
    {
        state.State.Value = value;
        return Task.CompletedTask;
    }

    public Task<Guid> GetActivationId() => Task.FromResult(_activationId);

    public Task<int> GetValueSeenOnActivation() => Task.FromResult(_valueSeenOnActivation);

    public Task Throw(string message) => throw new InvalidOperationException(message);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Clear() => state.ClearStateAsync();
}

/// <summary>Counts how many requests are inside the grain and whether two threads ever run its code at once.</summary>
public abstract class ConcurrencyProbeGrain : Grain
{
    private int _requestsInside;
    private int _threadsInside;
    private int _maxRequestsInside;
    private int _overlaps;
    private int _calls;

    public async Task Enter(int delayMs)
    {
        Segment();
        var inside = Interlocked.Increment(ref _requestsInside);
        _maxRequestsInside = Math.Max(_maxRequestsInside, inside);
        await Task.Yield();
        Segment();
        if (delayMs > 0)
        {
            await Task.Delay(delayMs);
        }
        else
        {
            await Task.Yield();
        }

        Segment();
        _calls++;
        Interlocked.Decrement(ref _requestsInside);
    }

    public Task<ConcurrencyReport> Report() => Task.FromResult(new ConcurrencyReport(_calls, _maxRequestsInside, _overlaps));

    // A deliberately slow, non-atomic section: if two threads ever ran this activation's code at once, they would meet here.
    private void Segment()
    {
        if (Interlocked.Increment(ref _threadsInside) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        Thread.SpinWait(200);
        Interlocked.Decrement(ref _threadsInside);
    }
}

[Immutable]
public sealed record ConcurrencyReport(int Calls, int MaxRequestsInside, int ThreadOverlaps);

public interface ISerialGrain : IGrainWithStringKey
{
    Task Enter(int delayMs);

    Task<ConcurrencyReport> Report();
}

public sealed class SerialGrain : ConcurrencyProbeGrain, ISerialGrain;

public interface IBackgroundGrain : IGrainWithStringKey
{
    [BackgroundWork]
    Task Enter(int delayMs);

    Task<ConcurrencyReport> Report();

    /// <summary>The name of the thread a background turn ran on, after an await, and its nice value (null off Linux).</summary>
    [BackgroundWork]
    Task<(string? Thread, int? Niceness)> WhereAmI();

    /// <summary>The same for an ordinary call to the same activation.</summary>
    Task<(string? Thread, int? Niceness)> WhereAmINormally();
}

public sealed class BackgroundGrain : ConcurrencyProbeGrain, IBackgroundGrain
{
    public Task<(string? Thread, int? Niceness)> WhereAmI() => Here();

    public Task<(string? Thread, int? Niceness)> WhereAmINormally() => Here();

    private static async Task<(string? Thread, int? Niceness)> Here()
    {
        await Task.Yield();
        return (Thread.CurrentThread.Name, OperatingSystem.IsLinux() ? getpriority(0, gettid()) : null);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int getpriority(int which, int who);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int gettid();
}

public interface IReentrantCounterGrain : IGrainWithStringKey
{
    Task Enter(int delayMs);

    Task<ConcurrencyReport> Report();
}

[Reentrant]
public sealed class ReentrantCounterGrain : ConcurrencyProbeGrain, IReentrantCounterGrain;

public interface IInterleaveGrain : IGrainWithStringKey
{
    Task WaitForGate();

    [AlwaysInterleave]
    Task<string> PingInterleaved();

    Task<string> Ping();
}

public sealed class InterleaveGrain(Probe probe) : Grain, IInterleaveGrain
{
    public Task WaitForGate() => probe.Gate.Task;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record("deactivate:" + this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<string> PingInterleaved() => Task.FromResult("pong");

    public Task<string> Ping() => Task.FromResult("pong");
}

public sealed class MutableBag
{
    public string Name { get; set; } = "";

    public List<int> Items { get; set; } = [];
}

[Immutable]
public sealed class SharedMessage(string text)
{
    public string Text { get; } = text;
}

public readonly record struct Point(int X, int Y);

public interface ICopyGrain : IGrainWithStringKey
{
    Task<int> Consume(MutableBag bag);

    Task Keep(MutableBag bag);

    Task<MutableBag> GetKept();

    Task<bool> ReceivedSameInstance(SharedMessage message);

    Task<bool> ReceivedSameImmutableList(ImmutableList<string> list);

    Task<Point> Echo(Point point);
}

public sealed class CopyGrain(Probe probe) : Grain, ICopyGrain
{
    private MutableBag _kept = new();

    public Task<int> Consume(MutableBag bag)
    {
        var count = bag.Items.Count;
        bag.Items.Clear();
        bag.Name = "changed by callee";
        return Task.FromResult(count);
    }

    public Task Keep(MutableBag bag)
    {
        _kept = bag;
        return Task.CompletedTask;
    }

    public Task<MutableBag> GetKept() => Task.FromResult(_kept);

    public Task<bool> ReceivedSameInstance(SharedMessage message) => Task.FromResult(ReferenceEquals(message, probe.Shared));

    public Task<bool> ReceivedSameImmutableList(ImmutableList<string> list) => Task.FromResult(ReferenceEquals(list, probe.Shared));

    public Task<Point> Echo(Point point) => Task.FromResult(point);
}

[Immutable]
public sealed record TimerStats(int Ticks, int MaxConcurrent);

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(int periodMs, int callbackMs, bool interleave);

    Task<TimerStats> Stats();

    Task Deactivate();
}

public sealed class TimerGrain(Probe probe) : Grain, ITimerGrain
{
    private int _ticks;
    private int _inside;
    private int _maxInside;

    public Task Start(int periodMs, int callbackMs, bool interleave)
    {
        RegisterGrainTimer(
            async (delay, ct) =>
            {
                var inside = Interlocked.Increment(ref _inside);
                _maxInside = Math.Max(_maxInside, inside);
                probe.Increment("tick:" + this.GetPrimaryKeyString());
                await Task.Delay(delay, CancellationToken.None);
                _ticks++;
                Interlocked.Decrement(ref _inside);
            },
            callbackMs,
            new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs)) { Interleave = interleave });
        return Task.CompletedTask;
    }

    public Task<TimerStats> Stats() => Task.FromResult(new TimerStats(_ticks, _maxInside));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task Register(string name, int dueMs, int periodMs);

    Task Unregister(string name);

    Task<bool> Has(string name);
}

public sealed class ReminderGrain(Probe probe) : Grain, IReminderGrain, IRemindable
{
    public Task Register(string name, int dueMs, int periodMs) =>
        RegisterOrUpdateReminder(name, TimeSpan.FromMilliseconds(dueMs), TimeSpan.FromMilliseconds(periodMs));

    public async Task Unregister(string name)
    {
        var reminder = await GetReminder(name) ?? throw new InvalidOperationException($"no reminder {name}");
        await UnregisterReminder(reminder);
    }

    public async Task<bool> Has(string name) => await GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Record($"reminder:{this.GetPrimaryKeyString()}:{reminderName}");
        return Task.CompletedTask;
    }
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<string> Hello();
}

public sealed class FailingActivationGrain(Probe probe) : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        probe.ShouldFail("activation") ? throw new InvalidOperationException("activation failed on purpose") : Task.CompletedTask;

    public Task<string> Hello() => Task.FromResult("hello");
}

[Immutable]
public sealed record OrderEvent(int Number);

public interface IOrderConsumerGrain : IGrainWithStringKey;

/// <summary>An implicit subscriber that applies each event once, de-duplicating redeliveries by sequence number.</summary>
[ImplicitStreamSubscription("orders")]
public sealed class OrderConsumerGrain(Probe probe) : Grain, IOrderConsumerGrain
{
    private long _lastApplied;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = GetStreamProvider(TestConstants.Streams).GetStream<OrderEvent>(StreamId.Create("orders", this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnNextAsync);
    }

    private async Task OnNextAsync(OrderEvent item, StreamSequenceToken? token)
    {
        var key = this.GetPrimaryKeyString();
        probe.Record($"seen:{key}:{item.Number}");
        await Task.Yield();
        if (token!.SequenceNumber <= _lastApplied)
        {
            probe.Record($"duplicate:{key}:{item.Number}");
            return;
        }

        if (probe.ShouldFail($"before:{key}:{item.Number}"))
        {
            throw new InvalidOperationException($"consumer failed before applying {item.Number}");
        }

        _lastApplied = token.SequenceNumber;
        probe.Record($"applied:{key}:{item.Number}");

        // Fails after the side effect, as a crash between applying and acknowledging would: the redelivery must be de-duplicated.
        if (probe.ShouldFail($"after:{key}:{item.Number}"))
        {
            throw new InvalidOperationException($"consumer failed after applying {item.Number}");
        }
    }
}

public interface IBadReturnGrain : IGrainWithStringKey
{
    Task<int> Fine();

    int Sync();
}

public interface IUnimplementedGrain : IGrainWithStringKey
{
    Task Nothing();
}

public interface IAmbiguousGrain : IGrainWithStringKey
{
    Task Nothing();
}

public sealed class AmbiguousOneGrain : Grain, IAmbiguousGrain
{
    public Task Nothing() => Task.CompletedTask;
}

public sealed class AmbiguousTwoGrain : Grain, IAmbiguousGrain
{
    public Task Nothing() => Task.CompletedTask;
}

public interface IShoppingCartGrain : IGrainWithStringKey
{
    Task<string> WhoAmI();

    ValueTask<int> ValueTaskOf(int value);

    ValueTask ValueTaskPlain();

    Task<bool> CallOtherGrainAndStayOnOwnActivation(string counterKey);
}

public sealed class ShoppingCartGrain : Grain, IShoppingCartGrain
{
    public Task<string> WhoAmI() => Task.FromResult(GrainId.ToString());

    public ValueTask<int> ValueTaskOf(int value) => ValueTask.FromResult(value * 2);

    public ValueTask ValueTaskPlain() => ValueTask.CompletedTask;

    public async Task<bool> CallOtherGrainAndStayOnOwnActivation(string counterKey)
    {
        var before = ActivationTaskScheduler.CurrentActivation;
        await GrainFactory.GetGrain<ICounterGrain>(counterKey).Increment();
        await Task.Delay(1);
        return before is not null && ReferenceEquals(before, ActivationTaskScheduler.CurrentActivation) && before.Id == GrainId;
    }
}
