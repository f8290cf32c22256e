using Cib.Detection.Networks;
using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>One account (key: account id): keeps its behaviour features and forwards its actions to co-activity partitions.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Applies signals of this account (de-duplicated by log sequence number) and forwards their co-activity targets.</summary>
    Task ApplyAsync(SignalBatch batch);

    /// <summary>The account's features.</summary>
    Task<AccountFeatures> GetFeaturesAsync();
}
