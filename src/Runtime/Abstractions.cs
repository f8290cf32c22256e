using System.Reflection;

namespace Cib.Runtime;

/// <summary>Marker for grain interfaces. Every grain reference is addressable.</summary>
public interface IGrain : IAddressable;

/// <summary>A grain whose identity is a string key.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>Something that has a <see cref="GrainId"/>: a grain instance or a grain reference.</summary>
public interface IAddressable;

/// <summary>The identity of a grain: its grain type name and its primary key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}

/// <summary>Creates references to grains.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of this interface with this key. No activation happens until the first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey;
}

/// <summary>Names of well-known providers.</summary>
public static class ProviderConstants
{
    /// <summary>The storage provider used by <see cref="PersistentStateAttribute"/> when none is named.</summary>
    public const string DefaultStorageProviderName = "Default";
}

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReasonCode
{
    None = 0,
    ApplicationRequested,
    ActivationIdle,
    ShuttingDown,
    ApplicationError,
}

/// <summary>Why an activation is being deactivated, with a human-readable explanation.</summary>
public sealed record DeactivationReason(DeactivationReasonCode Code, string Text);

/// <summary>Names the grain type (the first part of <see cref="GrainId"/>). Without it the name is the class name without a trailing "Grain", lower-case.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GrainTypeAttribute(string grainType) : Attribute
{
    public string GrainType { get; } = grainType;
}

/// <summary>
/// Calls to this grain interface method are bulk work: their turns run on the
/// runtime's background threads (<see cref="BackgroundThreads"/>), which the operating system schedules below request
/// handling, so that short requests (an investigator's query) are not queued and time-sliced behind them. The other
/// calls to the same activation still run at normal priority, one turn at a time as always. Not part of Orleans, whose
/// scheduler has no priorities.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class BackgroundWorkAttribute : Attribute;

/// <summary>Requests of this grain class may interleave at awaits (code between awaits still never runs concurrently).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>Calls to this interface method may interleave with any other request of the activation.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Values of this type are never mutated after construction, so grain calls pass them by reference instead of copying.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ImmutableAttribute : Attribute;

/// <summary>
/// Every stream of this namespace implicitly has a subscriber of this grain class whose primary key is the stream key:
/// an event activates the grain, which subscribes in <see cref="Grain.OnActivateAsync"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ImplicitStreamSubscriptionAttribute(string streamNamespace) : Attribute
{
    public string Namespace { get; } = streamNamespace;
}

/// <summary>Injects an <see cref="IPersistentState{TState}"/> into a grain constructor parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    public string StorageName { get; } = storageName ?? ProviderConstants.DefaultStorageProviderName;
}

/// <summary>Helpers available on grains and grain references alike.</summary>
public static class GrainExtensions
{
    /// <summary>The grain's identity.</summary>
    public static GrainId GetGrainId(this IAddressable addressable) => addressable switch
    {
        Grain grain => grain.GrainId,
        GrainReference reference => reference.GrainId,
        null => throw new ArgumentNullException(nameof(addressable)),
        _ => throw new ArgumentException($"{addressable.GetType()} is neither a grain nor a grain reference.", nameof(addressable)),
    };

    /// <summary>The grain's string key.</summary>
    public static string GetPrimaryKeyString(this IAddressable addressable) => addressable.GetGrainId().Key;

    internal static string GrainTypeNameOf(Type grainClass)
    {
        var attribute = grainClass.GetCustomAttribute<GrainTypeAttribute>();
        if (attribute is not null)
        {
            return attribute.GrainType;
        }

        var name = grainClass.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (name.Length > "Grain".Length && name.EndsWith("Grain", StringComparison.Ordinal))
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }
}
