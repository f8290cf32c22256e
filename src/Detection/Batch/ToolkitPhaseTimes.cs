using System.Diagnostics;

namespace Cib.Detection.Batch;

/// <summary>Wall time per phase of reading a toolkit CSV or computing its networks, in the order the
/// phases ran: where the time goes, for <c>cib analyze</c> and <c>cib bench</c>.</summary>
public sealed class ToolkitPhaseTimes
{
    private readonly List<(string Phase, TimeSpan Time)> _phases = [];

    /// <summary>Each phase and its wall time; a phase that ran more than once is listed each time.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Time)> Phases
    {
        get
        {
            lock (_phases)
            {
                return [.. _phases];
            }
        }
    }

    /// <summary>Records that <paramref name="phase"/> took <paramref name="time"/>.</summary>
    public void Add(string phase, TimeSpan time)
    {
        lock (_phases)
        {
            _phases.Add((phase, time));
        }
    }

    /// <summary>The total time of the phases named <paramref name="phase"/>.</summary>
    public TimeSpan this[string phase] => Phases.Where(p => p.Phase == phase).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Time);
}

/// <summary>Times consecutive phases into a <see cref="ToolkitPhaseTimes"/>, or does nothing without one.</summary>
internal readonly struct PhaseClock(ToolkitPhaseTimes? times)
{
    private readonly Stopwatch? _clock = times is null ? null : Stopwatch.StartNew();

    /// <summary>Records the time since the last lap (or since the start) as <paramref name="phase"/>.</summary>
    public void Lap(string phase)
    {
        if (times is not null && _clock is not null)
        {
            times.Add(phase, _clock.Elapsed);
            _clock.Restart();
        }
    }
}
