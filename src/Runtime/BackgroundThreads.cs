using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cib.Runtime;

/// <summary>
/// Dedicated threads for the turns of <see cref="BackgroundWorkAttribute"/> grains, each lowered to nice 10 on Linux
/// (<c>setpriority</c> on its own thread id), so that the kernel gives request handling, at nice 0, the processor first
/// whenever both want it, and bulk work all of it otherwise. On systems without <c>setpriority</c> they run at normal
/// priority. Work items must not block for long: there are a fixed number of threads
/// (<see cref="Count"/>), and none is added while they are busy.
/// </summary>
public static class BackgroundThreads
{
    /// <summary>The niceness the threads ask for: 10 of 19, the usual value for batch work.</summary>
    public const int Niceness = 10;

    private static readonly BlockingCollection<IThreadPoolWorkItem> s_queue = new(new ConcurrentQueue<IThreadPoolWorkItem>());
    private static readonly Lazy<int> s_started = new(Start);
    private static int s_lowered;

    /// <summary>Threads: twice the processors (at least 4), so that a turn waiting on a lock or the disk does not idle a core.</summary>
    public static int Count { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>How many of the threads did lower their priority (0 where the system does not allow it).</summary>
    public static int Lowered => Volatile.Read(ref s_lowered);

    /// <summary>Runs <paramref name="item"/> on a background thread, in the order queued.</summary>
    public static void Queue(IThreadPoolWorkItem item)
    {
        _ = s_started.Value;
        s_queue.Add(item);
    }

    private static int Start()
    {
        for (var i = 0; i < Count; i++)
        {
            new Thread(Run) { IsBackground = true, Name = $"cib-background-{i}" }.Start();
        }
        return Count;
    }

    private static void Run()
    {
        if (TryLowerPriority())
        {
            Interlocked.Increment(ref s_lowered);
        }
        foreach (var item in s_queue.GetConsumingEnumerable())
        {
            // A turn's exceptions are its tasks' (the activation scheduler runs them through TryExecuteTask).
            item.Execute();
        }
    }

    private static bool TryLowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            // On Linux a thread is a task with its own id, and setpriority(PRIO_PROCESS, tid) changes that thread only.
            return setpriority(PrioProcess, gettid(), Niceness) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
