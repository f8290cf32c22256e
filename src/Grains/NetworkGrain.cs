using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of a network.</summary>
public sealed class NetworkState
{
    /// <summary>The latest snapshot.</summary>
    public NetworkSnapshot? Snapshot { get; set; }
}

/// <summary>One network, stable across sweeps; what the latest sweep found is stored durably.</summary>
[GrainType("network")]
public sealed class NetworkGrain([PersistentState("network", StorageNames.Detection)] IPersistentState<NetworkState> state) : Grain, INetworkGrain
{
    /// <inheritdoc />
    public async Task UpdateAsync(NetworkSnapshot snapshot)
    {
        state.State.Snapshot = snapshot;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task MarkDormantAsync(DateTimeOffset at)
    {
        if (state.State.Snapshot is { } s && s.Summary.Status != NetworkStatus.Dormant)
        {
            state.State.Snapshot = s with { Summary = s.Summary with { Status = NetworkStatus.Dormant, UpdatedAt = at } };
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<NetworkSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);
}
