using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>
/// The sweep (key: <see cref="SweepGrainKeys.Default"/>): on its reminder, or when asked, clusters
/// the co-activity graph into networks, scores them, and updates networks and the takedown list.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Makes sure the periodic reminder is registered.</summary>
    Task StartAsync();

    /// <summary>Sweeps now, after every signal already acknowledged has been applied.</summary>
    Task<SweepReport> SweepAsync();

    /// <summary>The latest sweep's report, if any.</summary>
    Task<SweepReport?> GetLastReportAsync();
}

/// <summary>Keys of singleton grains.</summary>
public static class SweepGrainKeys
{
    /// <summary>The one sweep, directory and ledger of a silo.</summary>
    public const string Default = "default";
}
