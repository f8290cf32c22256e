using Cib.Detection.CoActivity;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Options;

namespace Cib.Grains;

/// <summary>One partition of the account-pair space: aggregates evidence into edges. Derived state, kept in memory.</summary>
[GrainType("edges")]
public sealed class EdgePartitionGrain : Grain, IEdgePartitionGrain
{
    private readonly PairAggregator _pairs;

    /// <summary>Creates the grain.</summary>
    public EdgePartitionGrain(IOptions<CibOptions> options) => _pairs = new PairAggregator(options.Value.CoActivity);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(3650));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddEvidenceAsync(EvidenceBatch batch)
    {
        foreach (var e in batch.Evidence)
        {
            _pairs.Add(e);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EdgeBatch> GetEdgesAsync(int minSupport) => Task.FromResult(new EdgeBatch(_pairs.Edges(minSupport), _pairs.Count));
}
