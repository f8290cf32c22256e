using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>
/// One fitted network model (key: its version, for example <c>ens-1:3f2a9c01</c>), kept so that any
/// score can be traced to, and recomputed with, the exact model that produced it.
/// </summary>
public interface IModelArchiveGrain : IGrainWithStringKey
{
    /// <summary>Stores the model unless one is stored under this version already (a version names its content).</summary>
    Task StoreAsync(ModelRecord record);

    /// <summary>The stored model, or null.</summary>
    Task<ModelRecord?> GetAsync();
}
