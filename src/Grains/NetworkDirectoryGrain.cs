using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of the directory.</summary>
public sealed class NetworkDirectoryState
{
    /// <summary>All networks ever found, latest summary each.</summary>
    public List<NetworkSummary> Networks { get; set; } = [];

    /// <summary>Account → network, as the latest sweep left it.</summary>
    public Dictionary<string, string> NetworkOfAccount { get; set; } = [];
}

/// <summary>The network list and account-to-network map, stored durably after each sweep.</summary>
[GrainType("directory")]
public sealed class NetworkDirectoryGrain([PersistentState("directory", StorageNames.Detection)] IPersistentState<NetworkDirectoryState> state) : Grain, INetworkDirectoryGrain
{
    /// <inheritdoc />
    public async Task ReplaceAsync(NetworkDirectory directory)
    {
        state.State.Networks = [.. directory.Networks];
        state.State.NetworkOfAccount = new Dictionary<string, string>(directory.NetworkOfAccount, StringComparer.Ordinal);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task UpdateSummaryAsync(NetworkSummary summary)
    {
        var i = state.State.Networks.FindIndex(n => n.Id == summary.Id);
        if (i < 0)
        {
            return;
        }
        var before = state.State.Networks[i];
        state.State.Networks[i] = summary;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Networks[i] = before;
            throw;
        }
    }

    /// <inheritdoc />
    public Task<NetworkDirectory> GetAsync() =>
        Task.FromResult(new NetworkDirectory(state.State.Networks.ToArray(), new Dictionary<string, string>(state.State.NetworkOfAccount, StringComparer.Ordinal)));
}
