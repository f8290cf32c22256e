using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>One detected network (key: network id, stable across sweeps).</summary>
public interface INetworkGrain : IGrainWithStringKey
{
    /// <summary>Stores what the latest sweep found, keeping reviewers' decisions; returns the stored summary.</summary>
    Task<NetworkSummary> UpdateAsync(NetworkSnapshot snapshot);

    /// <summary>Marks the network dormant (not found by the latest sweep).</summary>
    Task MarkDormantAsync(DateTimeOffset at);

    /// <summary>The network, or null if no sweep ever found it.</summary>
    Task<NetworkSnapshot?> GetAsync();

    /// <summary>
    /// Records a reviewer's decision and carries it out on the takedown list: confirm lists the
    /// members (plus included, minus excluded accounts) with the chosen action; dismiss reverses
    /// every listed member; escalate changes the status only.
    /// </summary>
    Task<NetworkSnapshot> DecideAsync(ReviewRequest request, string reviewer);
}
