using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Microsoft.Extensions.Options;

namespace Cib.Grains;

/// <summary>
/// One account: keeps its behaviour features and routes each co-activity action to the partition
/// that owns the target (the signal pump delivers them, a step at a time). Its state is derived from the signal log, which the pump replays on start,
/// so it is kept in memory and the activation is kept alive rather than collected.
/// </summary>
[GrainType("account")]
public sealed class AccountGrain : Grain, IAccountGrain
{
    private readonly AccountBehaviour _behaviour = new();
    private readonly CibOptions _options;
    private long _lastSeq;

    /// <summary>Creates the grain.</summary>
    public AccountGrain(IOptions<CibOptions> options) => _options = options.Value;

    /// <inheritdoc />
    public Task<RoutedActions> ApplyAsync(SignalBatch batch)
    {
        if (_behaviour.Actions == 0)
        {
            // From its first signal on, the account holds derived state that only a replay could
            // rebuild, so it stays active; an account that was only looked up may be collected.
            DelayDeactivation(TimeSpan.FromDays(3650));
        }
        var byPartition = new Dictionary<string, List<TargetAction>>();
        var account = this.GetPrimaryKeyString();
        for (var i = 0; i < batch.Signals.Count; i++)
        {
            // The pump retries a whole step after a failure: sequence numbers make that a no-op here.
            if (batch.Sequence[i] <= _lastSeq)
            {
                continue;
            }
            _lastSeq = batch.Sequence[i];
            var signal = batch.Signals[i];
            var targets = 0;
            foreach (var target in TargetExtractor.Extract(signal, _options.CoActivity))
            {
                targets += TargetExtractor.CountsAsAction(target) ? 1 : 0;
                var partition = _options.PartitionOf(target.StableHash());
                if (!byPartition.TryGetValue(partition, out var list))
                {
                    byPartition[partition] = list = [];
                }
                list.Add(new TargetAction(account, target, signal.Timestamp.UtcTicks));
            }
            _behaviour.Apply(signal, targets);
        }
        return Task.FromResult(new RoutedActions(byPartition.Select(p => new PartitionActions(p.Key, p.Value)).ToArray()));
    }

    /// <inheritdoc />
    public Task<AccountFeatures> GetFeaturesAsync() => Task.FromResult(_behaviour.Snapshot(this.GetPrimaryKeyString()));
}
