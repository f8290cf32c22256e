using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of an archived model.</summary>
public sealed class ModelArchiveState
{
    /// <summary>The model, once stored.</summary>
    public ModelRecord? Record { get; set; }
}

/// <summary>Keeps one fitted model per version, durably; the first store wins, since a version names its content.</summary>
[GrainType("model")]
public sealed class ModelArchiveGrain([PersistentState("model", StorageNames.Detection)] IPersistentState<ModelArchiveState> state) : Grain, IModelArchiveGrain
{
    /// <inheritdoc />
    public async Task StoreAsync(ModelRecord record)
    {
        if (!string.Equals(record.Version, this.GetPrimaryKeyString(), StringComparison.Ordinal))
        {
            throw new ArgumentException($"model version \"{record.Version}\" does not match the archive key \"{this.GetPrimaryKeyString()}\"", nameof(record));
        }
        if (state.State.Record is not null)
        {
            return;
        }
        state.State.Record = record;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ModelRecord?> GetAsync() => Task.FromResult(state.State.Record);
}
