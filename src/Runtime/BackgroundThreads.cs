using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cib.Runtime;

/// <summary>
/// Dedicated threads for the turns of <see cref="BackgroundWorkAttribute"/> calls, each lowered to <see cref="Niceness"/> (10 by default) on Linux
/// (<c>setpriority</c> on its own thread id), so that the kernel gives request handling, at nice 0, the processor first
/// whenever both want it, and bulk work all of it otherwise. On systems without <c>setpriority</c> they run at normal
/// priority. Work items must not block for long: there are a fixed number of threads
/// (<see cref="Count"/>), and none is added while they are busy.
/// </summary>
public static class BackgroundThreads
{
    /// <summary>The niceness the threads ask for by default: 10 of 19, the usual value for batch work.</summary>
    public const int DefaultNiceness = 10;

    private static int s_niceness = DefaultNiceness;

    /// <summary>
    /// The niceness the threads ask for (0 to 19; 0 is normal priority). Nice is relative to every process on the
    /// machine, not only to the silo's request threads: on a host shared with other busy work, bulk work at 10 also
    /// gives way to that work, and an operator may prefer a lower value.
    /// </summary>
    public static int Niceness => Volatile.Read(ref s_niceness);

    /// <summary>
    /// Sets <see cref="Niceness"/> before the threads start; false, changing nothing, once they have started (they are
    /// shared by every silo in the process). Throws when <paramref name="niceness"/> is outside 0 to 19.
    /// </summary>
    public static bool TrySetNiceness(int niceness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(niceness, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness, 19);
        lock (s_queue)
        {
            if (s_started)
            {
                return niceness == Niceness;
            }
            Volatile.Write(ref s_niceness, niceness);
            return true;
        }
    }

    private static readonly BlockingCollection<IThreadPoolWorkItem> s_queue = new(new ConcurrentQueue<IThreadPoolWorkItem>());
    private static bool s_started;

    /// <summary>Threads: twice the processors (at least 4), so that a turn waiting on a lock or the disk does not idle a core.</summary>
    public static int Count { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    [ThreadStatic]
    private static bool t_isBackground;

    /// <summary>Whether the calling thread is one of the background threads.</summary>
    public static bool IsBackgroundThread => t_isBackground;

    /// <summary>
    /// Runs <paramref name="work"/> on a background thread and completes with its result or its exception: for bulk work
    /// outside grains (parsing and storing an ingest batch) that should give way to requests, like the grains' background
    /// calls. The work runs synchronously there; it may block (on a lock, on the disk), which holds one of the
    /// <see cref="Count"/> threads meanwhile, so callers bound how many such items they queue at once.
    /// </summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new WorkItem<T>(work);
        Queue(item);
        return item.Completion.Task;
    }

    private sealed class WorkItem<T>(Func<T> work) : IThreadPoolWorkItem
    {
        // Continuations run on the thread pool, not inline on this background thread.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute()
        {
            try
            {
                Completion.SetResult(work());
            }
            catch (Exception e)
            {
                Completion.SetException(e);
            }
        }
    }

    /// <summary>Runs <paramref name="item"/> on a background thread, in the order queued.</summary>
    public static void Queue(IThreadPoolWorkItem item)
    {
        if (!Volatile.Read(ref s_started))
        {
            Start();
        }
        s_queue.Add(item);
    }

    private static void Start()
    {
        lock (s_queue)
        {
            if (s_started)
            {
                return;
            }
            for (var i = 0; i < Count; i++)
            {
                new Thread(Run) { IsBackground = true, Name = $"cib-background-{i}" }.Start();
            }
            Volatile.Write(ref s_started, true);
        }
    }

    private static void Run()
    {
        t_isBackground = true;
        TryLowerPriority();
        foreach (var item in s_queue.GetConsumingEnumerable())
        {
            // A turn's exceptions are its tasks' (the activation scheduler runs them through TryExecuteTask).
            item.Execute();
        }
    }

    // Where the system does not allow it, the thread stays at normal priority.
    private static void TryLowerPriority()
    {
        if (!OperatingSystem.IsLinux() || Niceness == 0)
        {
            return;
        }
        try
        {
            // On Linux a thread is a task with its own id, and setpriority(PRIO_PROCESS, tid) changes that thread only.
            _ = setpriority(PrioProcess, gettid(), Niceness);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
