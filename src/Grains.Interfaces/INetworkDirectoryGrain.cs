using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>The list of networks and the account-to-network map (key: <see cref="SweepGrainKeys.Default"/>).</summary>
public interface INetworkDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Replaces the directory with what a sweep found.</summary>
    Task ReplaceAsync(NetworkDirectory directory);

    /// <summary>Replaces one network's summary (after a review decision).</summary>
    Task UpdateSummaryAsync(NetworkSummary summary);

    /// <summary>The directory.</summary>
    Task<NetworkDirectory> GetAsync();
}
