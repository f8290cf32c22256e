using Cib.Detection.Networks;
using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>One account (key: account id): keeps its behaviour features and routes its actions to co-activity partitions.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies signals of this account (de-duplicated by log sequence number) and returns their co-activity actions by
    /// partition, for the caller to deliver (the signal pump delivers a whole step's actions at once).
    /// </summary>
    [BackgroundWork]
    Task<RoutedActions> ApplyAsync(SignalBatch batch);

    /// <summary>The account's features.</summary>
    Task<AccountFeatures> GetFeaturesAsync();
}
