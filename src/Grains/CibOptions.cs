using Cib.Detection.CoActivity;
using Cib.Detection.Networks;

namespace Cib.Grains;

/// <summary>Settings of the detection pipeline. Defaults are documented on each member.</summary>
public sealed class CibOptions
{
    /// <summary>Partitions of the target space and of the pair space (default 16): the unit of parallelism.</summary>
    public int Partitions { get; set; } = 16;

    /// <summary>How often the sweep reminder re-clusters and re-scores (default 5 minutes).</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Signals the pump reads from the log per step (default 4,096).</summary>
    public int PumpBatchSize { get; set; } = 4096;

    /// <summary>
    /// Most event time one pump step may span (default 5 minutes, half the default lateness). A step hands each account its
    /// signals in parallel, which reorders signals across accounts inside the step; keeping the
    /// step's span well inside <see cref="CoActivityOptions.Lateness"/> means no co-activity is
    /// missed however quiet the feed is.
    /// </summary>
    public TimeSpan PumpStepSpan { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Windows and evidence settings.</summary>
    public CoActivityOptions CoActivity { get; set; } = new();

    /// <summary>Edge, network and takedown thresholds.</summary>
    public DetectionOptions Detection { get; set; } = new();

    /// <summary>Edges with evidence kept per network view (default 50, heaviest first).</summary>
    public int TopEdgesPerNetwork { get; set; } = 50;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Partitions is < 1 or > 1024)
        {
            throw new ArgumentException($"{nameof(Partitions)} must be in [1, 1024] (got {Partitions})", nameof(Partitions));
        }
        if (SweepPeriod < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"{nameof(SweepPeriod)} must be at least 1 s (got {SweepPeriod})", nameof(SweepPeriod));
        }
        if (PumpBatchSize < 1)
        {
            throw new ArgumentException($"{nameof(PumpBatchSize)} must be positive (got {PumpBatchSize})", nameof(PumpBatchSize));
        }
        CoActivity.Validate();
        if (PumpStepSpan <= TimeSpan.Zero || PumpStepSpan > CoActivity.Lateness)
        {
            throw new ArgumentException($"{nameof(PumpStepSpan)} must be positive and at most the co-activity lateness {CoActivity.Lateness} (got {PumpStepSpan})", nameof(PumpStepSpan));
        }
        Detection.Validate();
    }

    private string[] _partitionKeys = [];

    /// <summary>The partition of a 64-bit hash.</summary>
    public string PartitionOf(ulong hash)
    {
        // The keys are made once: this runs for every action and every piece of evidence the pump moves.
        var keys = _partitionKeys;
        if (keys.Length != Partitions)
        {
            keys = Enumerable.Range(0, Partitions).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            _partitionKeys = keys;
        }
        return keys[(int)(hash % (ulong)keys.Length)];
    }
}
