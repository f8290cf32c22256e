using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>
/// One partition of the target space (key: partition number): holds the sliding windows of its
/// targets and sends the co-activity evidence they produce to edge partitions.
/// </summary>
public interface ICoActivityPartitionGrain : IGrainWithStringKey
{
    /// <summary>Observes actions on targets of this partition.</summary>
    [BackgroundWork]
    Task ObserveAsync(ActionBatch batch);
}
