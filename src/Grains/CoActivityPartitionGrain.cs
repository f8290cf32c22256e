using Cib.Detection.CoActivity;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Options;

namespace Cib.Grains;

/// <summary>
/// One partition of the target space: the sliding windows of its targets. Evidence goes to the edge
/// partition that owns the pair. Derived state, rebuilt by replay, kept in memory.
/// </summary>
[GrainType("coactivity")]
public sealed class CoActivityPartitionGrain : Grain, ICoActivityPartitionGrain
{
    private readonly CibOptions _options;
    private readonly CoActivityIndex _index;

    /// <summary>Creates the grain.</summary>
    public CoActivityPartitionGrain(IOptions<CibOptions> options)
    {
        _options = options.Value;
        _index = new CoActivityIndex(_options.CoActivity);
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(3650));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ObserveAsync(ActionBatch batch)
    {
        var evidence = new List<CoActivityEvidence>();
        foreach (var a in batch.Actions)
        {
            _index.Add(a.Account, a.Target, a.Ticks, evidence);
        }
        if (evidence.Count == 0)
        {
            return;
        }
        var byPartition = evidence.GroupBy(e => _options.PartitionOf(PairHash(e.A, e.B)));
        await Task.WhenAll(byPartition.Select(g => GrainFactory.GetGrain<IEdgePartitionGrain>(g.Key).AddEvidenceAsync(new EvidenceBatch(g.ToArray()))));
    }

    private static ulong PairHash(string a, string b)
    {
        var h = 14695981039346656037UL;
        foreach (var c in a)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        h = (h ^ 0x1F) * 1099511628211UL;
        foreach (var c in b)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }
}
