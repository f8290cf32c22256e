using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cib.Detection.CoActivity;

/// <summary>
/// The recent actors of one target. An action meets every stored action of another account whose
/// time differs by at most the window (inclusive); actions older than the newest seen minus the
/// window minus the allowed lateness can meet nothing new and are dropped, and at most
/// <see cref="CoActivityOptions.MaxActorsPerWindow"/> actions are kept, the oldest going first, so a
/// hot target costs bounded memory and bounded work per action.
/// </summary>
public sealed class CoActivityWindow
{
    private WindowState _state;

    /// <summary>Creates an empty window.</summary>
    public CoActivityWindow(TimeSpan window, TimeSpan lateness, int capacity) => _state = new WindowState(window, lateness, capacity);

    /// <summary>Newest action time seen (UTC ticks), or <see cref="long.MinValue"/>.</summary>
    public long NewestTicks => _state.NewestTicks;

    /// <summary>Actions ever added (the target's popularity so far).</summary>
    public long Actions => _state.Actions;

    /// <summary>Actions currently held.</summary>
    public int Count => _state.Count;

    /// <summary>
    /// Adds an action and calls <paramref name="onCoActor"/> once for each other account's stored
    /// action within the window, with the number of distinct accounts within the window of this
    /// action (the crowd, itself included).
    /// </summary>
    public void Add(string account, long ticks, Action<string, long, int> onCoActor) =>
        Add(account, ticks, null, 0, (other, otherTicks, _, crowd) => onCoActor(other, otherTicks, crowd));

    /// <summary>
    /// Adds an action carrying <paramref name="sketch"/> (null for an exact target). With a sketch,
    /// only stored actions whose sketch <see cref="ContentSketch.Matches"/> it are co-actors, and the
    /// crowd counts only them: sharing an LSH band or a hash block makes a candidate, not evidence.
    /// A verified pair is reported only when <paramref name="part"/> is the first band or block the
    /// two share (<see cref="ContentSketch.SharesEarlierPart"/>), so near duplicates that share many
    /// bands make one piece of evidence, not one per band; the crowd counts every verified one.
    /// </summary>
    public void Add(string account, long ticks, ContentSketch? sketch, int part, Action<string, long, ContentSketch?, int> onCoActor)
    {
        var sink = new DelegateSink(onCoActor);
        Add(account, ticks, sketch, part, ref sink);
    }

    /// <summary>What meets the co-actors of an action: a struct, so the hot path allocates no closure per action.</summary>
    internal interface ICoActorSink
    {
        void Meet(string other, long otherTicks, ContentSketch? otherSketch, int crowd);
    }

    private readonly struct DelegateSink(Action<string, long, ContentSketch?, int> onCoActor) : ICoActorSink
    {
        public void Meet(string other, long otherTicks, ContentSketch? otherSketch, int crowd) => onCoActor(other, otherTicks, otherSketch, crowd);
    }

    internal void Add<TSink>(string account, long ticks, ContentSketch? sketch, int part, ref TSink sink)
        where TSink : struct, ICoActorSink =>
        _state.Add(account, ticks, sketch, part, ref sink);
}

/// <summary>
/// A window's state as a value (<see cref="CoActivityWindow"/> is its object form), so that <see cref="CoActivityIndex"/>
/// keeps its live windows in one array of these instead of an object each: a run makes millions of windows that live for
/// minutes of event time, long enough to be promoted and copied by the garbage collector.
/// </summary>
internal struct WindowState
{
    // The held actions, sorted by Ticks: in _single while there has only ever been one, then in
    // _entries[0.._count). Most windows (an LSH band, an obscure post) only ever hold one action, and a
    // run keeps a million of them alive for minutes of event time: the action is then held inline, with no
    // array.
    private Entry _single;
    private Entry[]? _entries;
    private int _count;
    private readonly long _windowTicks;
    private readonly long _retainTicks;
    private readonly int _capacity;

    /// <summary>Creates an empty window.</summary>
    public WindowState(TimeSpan window, TimeSpan lateness, int capacity)
    {
        _windowTicks = window.Ticks;
        _retainTicks = window.Ticks + lateness.Ticks;
        _capacity = capacity;
    }

    /// <summary>Newest action time seen (UTC ticks), or <see cref="long.MinValue"/>.</summary>
    public long NewestTicks { get; private set; } = long.MinValue;

    /// <summary>Actions ever added (the target's popularity so far).</summary>
    public long Actions { get; private set; }

    /// <summary>Actions currently held.</summary>
    public readonly int Count => _count;

    /// <summary>As the public overload, calling <paramref name="sink"/> for each co-actor.</summary>
    public void Add<TSink>(string account, long ticks, ContentSketch? sketch, int part, ref TSink sink)
        where TSink : struct, CoActivityWindow.ICoActorSink
    {
        Actions++;
        if (ticks > NewestTicks)
        {
            NewestTicks = ticks;
            var horizon = ticks - _retainTicks;
            var held = Held;
            var drop = 0;
            while (drop < held.Length && held[drop].Ticks < horizon)
            {
                drop++;
            }
            RemoveFront(drop);
        }
        var lo = LowerBound(ticks - _windowTicks);
        var hi = LowerBound(ticks + _windowTicks + 1);
        // hi − lo ≤ capacity: the verdicts fit on the stack and each candidate is verified once.
        Span<bool> coActs = hi - lo <= 256 ? stackalloc bool[hi - lo] : new bool[hi - lo];
        var crowd = 1;
        var candidates = Held[lo..hi];
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var e = ref candidates[i];
            var verified = !string.Equals(e.Account, account, StringComparison.Ordinal)
                && (sketch is null || (e.Sketch is not null && sketch.Matches(e.Sketch)));
            crowd += verified ? 1 : 0;
            coActs[i] = verified && (sketch is null || !sketch.SharesEarlierPart(e.Sketch!, part));
        }
        for (var i = 0; i < candidates.Length; i++)
        {
            if (coActs[i])
            {
                var e = candidates[i];
                sink.Meet(e.Account, e.Ticks, e.Sketch, crowd);
            }
        }
        Insert(LowerBound(ticks + 1), new Entry(account, ticks, sketch));
        if (_count > _capacity)
        {
            RemoveFront(1);
        }
        AssertSorted();
    }

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private Span<Entry> Held => _entries is null ? MemoryMarshal.CreateSpan(ref _single, _count) : _entries.AsSpan(0, _count);

    private void RemoveFront(int drop)
    {
        if (drop == 0)
        {
            return;
        }
        if (_entries is null)
        {
            _single = default;
        }
        else
        {
            Array.Copy(_entries, drop, _entries, 0, _count - drop);
            Array.Clear(_entries, _count - drop, drop);
        }
        _count -= drop;
    }

    private void Insert(int at, Entry entry)
    {
        if (_entries is null)
        {
            if (_count == 0)
            {
                _single = entry;
                _count = 1;
                return;
            }
            _entries = new Entry[2];
            _entries[0] = _single;
            _single = default;
        }
        else if (_count == _entries.Length)
        {
            // Doubling, but never past capacity + 1 (the insert that precedes dropping the oldest).
            var grown = new Entry[Math.Min(Math.Max(2, _count * 2), _capacity + 1)];
            Array.Copy(_entries, grown, _count);
            _entries = grown;
        }
        Array.Copy(_entries, at, _entries, at + 1, _count - at);
        _entries[at] = entry;
        _count++;
    }

    private readonly record struct Entry(string Account, long Ticks, ContentSketch? Sketch);

    private int LowerBound(long ticks)
    {
        var held = Held;
        int lo = 0, hi = held.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (held[mid].Ticks < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    [Conditional("DEBUG")]
    private void AssertSorted()
    {
        var held = Held;
        for (var i = 1; i < held.Length; i++)
        {
            Debug.Assert(held[i - 1].Ticks <= held[i].Ticks, "window entries must stay sorted by time");
        }
    }
}
