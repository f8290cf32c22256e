using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>One partition of the account-pair space (key: partition number): aggregates evidence into edges.</summary>
public interface IEdgePartitionGrain : IGrainWithStringKey
{
    /// <summary>Adds evidence.</summary>
    [BackgroundWork]
    Task AddEvidenceAsync(EvidenceBatch batch);

    /// <summary>Edges with at least <paramref name="minSupport"/> occasions.</summary>
    Task<EdgeBatch> GetEdgesAsync(int minSupport);
}
