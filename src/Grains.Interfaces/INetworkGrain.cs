using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>One detected network (key: network id, stable across sweeps).</summary>
public interface INetworkGrain : IGrainWithStringKey
{
    /// <summary>Stores what the latest sweep found.</summary>
    Task UpdateAsync(NetworkSnapshot snapshot);

    /// <summary>Marks the network dormant (not found by the latest sweep).</summary>
    Task MarkDormantAsync(DateTimeOffset at);

    /// <summary>The network, or null if no sweep ever found it.</summary>
    Task<NetworkSnapshot?> GetAsync();
}
