namespace Cib.Grains;

/// <summary>Names of the storage providers and state records the grains use.</summary>
public static class StorageNames
{
    /// <summary>The durable store for networks, directory, ledger and sweeps.</summary>
    public const string Detection = "detection";
}
