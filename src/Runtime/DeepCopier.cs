using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using System.Text.Json;

namespace Cib.Runtime;

/// <summary>
/// Isolates callers from callees: a grain call hands over either a value that cannot change (primitives, strings,
/// immutable collections of such, [Immutable] types, structs made only of such) or a deep copy, so no mutable object is
/// ever shared between activations. Copies are a JSON round trip, which is also what makes every message serialisable.
/// </summary>
internal static class DeepCopier
{
    private static readonly ConcurrentDictionary<Type, bool> s_shallow = new();

    private static readonly HashSet<Type> s_knownImmutable =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid),
        typeof(DateOnly), typeof(TimeOnly), typeof(Uri), typeof(Version), typeof(CancellationToken), typeof(Half),
        typeof(Int128), typeof(UInt128), typeof(BigInteger), typeof(GrainId), typeof(DBNull),
    ];

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.General) { IncludeFields = true };

    public static object? Copy(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = value.GetType();
        if (IsShallowCopyable(type))
        {
            return value;
        }

        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type, s_json);
            return JsonSerializer.Deserialize(bytes, type, s_json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"A value of type {type} in a grain call could not be copied through JSON. Make it a serialisable record, or mark it [Immutable] if it never changes after construction.",
                ex);
        }
    }

    public static bool IsShallowCopyable(Type type) => s_shallow.GetOrAdd(type, Compute);

    private static bool Compute(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || s_knownImmutable.Contains(type)
            || typeof(IAddressable).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || typeof(Type).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.GetCustomAttribute<ImmutableAttribute>(inherit: false) is not null)
        {
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return IsShallowCopyable(underlying);
        }

        if (type.Namespace == "System.Collections.Immutable")
        {
            return !type.IsGenericType || type.GetGenericArguments().All(IsShallowCopyable);
        }

        // A struct is copied by value, so it is safe to share when none of its fields reaches a mutable object.
        // Structs cannot contain themselves, so this recursion ends.
        if (type.IsValueType && !type.IsPointer && !type.IsByRefLike)
        {
            return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .All(f => IsShallowCopyable(f.FieldType));
        }

        return false;
    }
}
