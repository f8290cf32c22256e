using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cib.Runtime;

/// <summary>How to build and address one grain class.</summary>
internal sealed class GrainClassInfo
{
    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;
    private readonly Func<string, GrainId, IGrainStorage, IPersistentStateLoader>?[] _stateFactories;
    private readonly string?[] _storageNames;

    public GrainClassInfo(Type classType)
    {
        ClassType = classType;
        TypeName = GrainExtensions.GrainTypeNameOf(classType);
        Reentrant = classType.GetCustomAttribute<ReentrantAttribute>(inherit: true) is not null;
        IsRemindable = typeof(IRemindable).IsAssignableFrom(classType);
        ImplicitStreamNamespaces = [.. classType.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>(inherit: false).Select(a => a.Namespace).Distinct()];

        // Like ActivatorUtilities: the public constructor with the most parameters.
        _constructor = classType.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {classType} has no public constructor.");
        _parameters = _constructor.GetParameters();
        _stateFactories = new Func<string, GrainId, IGrainStorage, IPersistentStateLoader>?[_parameters.Length];
        _storageNames = new string?[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var attribute = _parameters[i].GetCustomAttribute<PersistentStateAttribute>();
            if (attribute is null)
            {
                continue;
            }

            var parameterType = _parameters[i].ParameterType;
            if (!parameterType.IsGenericType || parameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"Constructor parameter '{_parameters[i].Name}' of {classType} has [PersistentState] but its type is {parameterType}; it must be IPersistentState<TState>.");
            }

            var stateType = typeof(PersistentState<>).MakeGenericType(parameterType.GetGenericArguments()[0]);
            _stateFactories[i] = (name, id, storage) => (IPersistentStateLoader)Activator.CreateInstance(stateType, name, id, storage)!;
            _storageNames[i] = attribute.StorageName;
        }
    }

    public Type ClassType { get; }

    public string TypeName { get; }

    public bool Reentrant { get; }

    public bool IsRemindable { get; }

    public IReadOnlyList<string> ImplicitStreamNamespaces { get; }

    public Grain Create(ActivationData activation, IServiceProvider services)
    {
        var arguments = new object?[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (_stateFactories[i] is { } stateFactory)
            {
                var storageName = _storageNames[i]!;
                var storage = services.GetKeyedService<IGrainStorage>(storageName)
                    ?? throw new InvalidOperationException($"Grain {activation.Id} ({ClassType.Name}) needs grain storage \"{storageName}\" for state \"{parameter.GetCustomAttribute<PersistentStateAttribute>()!.StateName}\", but none is registered: call AddMemoryGrainStorage(\"{storageName}\") or AddSqliteGrainStorage(\"{storageName}\", database) on the silo builder.");
                var state = stateFactory(parameter.GetCustomAttribute<PersistentStateAttribute>()!.StateName, activation.Id, storage);
                activation.PersistentStates.Add(state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetService(parameter.ParameterType)
                    ?? (parameter.HasDefaultValue ? parameter.DefaultValue
                        : throw new InvalidOperationException($"Cannot create grain {ClassType.Name}: no service of type {parameter.ParameterType} is registered for constructor parameter '{parameter.Name}'. Register it in the silo's services."));
            }
        }

        return Grain.Construct(activation, () => (Grain)_constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }
}

/// <summary>The grain classes of the assemblies registered with the silo builder.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<string, GrainClassInfo> _byTypeName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<Assembly> assemblies)
    {
        foreach (var type in assemblies.Distinct().SelectMany(LoadableTypes))
        {
            if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters || !typeof(Grain).IsAssignableFrom(type))
            {
                continue;
            }

            var info = new GrainClassInfo(type);
            if (_byTypeName.TryGetValue(info.TypeName, out var existing))
            {
                throw new InvalidOperationException($"Grain classes {existing.ClassType} and {type} have the same grain type name \"{info.TypeName}\". Give one of them a [GrainType(\"...\")] attribute.");
            }

            _byTypeName.Add(info.TypeName, info);
        }

        ImplicitSubscribers = _byTypeName.Values
            .SelectMany(c => c.ImplicitStreamNamespaces.Select(ns => (ns, c)))
            .GroupBy(p => p.ns, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<GrainClassInfo>)[.. g.Select(p => p.c)], StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<GrainClassInfo>> ImplicitSubscribers { get; }

    public GrainClassInfo GetByTypeName(string typeName) =>
        _byTypeName.TryGetValue(typeName, out var info)
            ? info
            : throw new InvalidOperationException($"No grain class has grain type \"{typeName}\". Register its assembly with AddGrainAssembly.");

    public GrainClassInfo GetByInterface(Type grainInterface)
    {
        var candidates = _byTypeName.Values.Where(c => grainInterface.IsAssignableFrom(c.ClassType)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new InvalidOperationException($"No grain class implements {grainInterface}. Register the assembly that contains it with siloBuilder.AddGrainAssembly(typeof(TheGrain).Assembly)."),
            _ => throw new InvalidOperationException($"More than one grain class implements {grainInterface} ({string.Join(", ", candidates.Select(c => c.ClassType.FullName))}); each grain interface must have exactly one implementation."),
        };
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}

/// <summary>How to call one grain interface method: validation, copying, and conversion between the caller's and the callee's task types.</summary>
internal sealed class GrainMethodInvoker
{
    private static readonly MethodInfo s_awaitTaskOf = typeof(GrainMethodInvoker).GetMethod(nameof(AwaitTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_awaitValueTaskOf = typeof(GrainMethodInvoker).GetMethod(nameof(AwaitValueTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_toTaskOf = typeof(GrainMethodInvoker).GetMethod(nameof(ToTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_toValueTaskOf = typeof(GrainMethodInvoker).GetMethod(nameof(ToValueTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly MethodInfo _method;
    private readonly Func<object, Task<object?>> _awaitResult;
    private readonly Func<Task<object?>, object> _toCallerTask;

    public GrainMethodInvoker(Type grainInterface, MethodInfo method)
    {
        _method = method;
        Name = $"{grainInterface.Name}.{method.Name}";
        Interleave = method.GetCustomAttribute<AlwaysInterleaveAttribute>() is not null;
        Background = method.GetCustomAttribute<BackgroundWorkAttribute>() is not null;
        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            _awaitResult = AwaitTask;
            _toCallerTask = t => t;
        }
        else if (returnType == typeof(ValueTask))
        {
            _awaitResult = AwaitValueTask;
            _toCallerTask = t => new ValueTask(t);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returnType.GetGenericArguments()[0];
            _awaitResult = s_awaitTaskOf.MakeGenericMethod(result).CreateDelegate<Func<object, Task<object?>>>();
            _toCallerTask = s_toTaskOf.MakeGenericMethod(result).CreateDelegate<Func<Task<object?>, object>>();
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var result = returnType.GetGenericArguments()[0];
            _awaitResult = s_awaitValueTaskOf.MakeGenericMethod(result).CreateDelegate<Func<object, Task<object?>>>();
            _toCallerTask = s_toValueTaskOf.MakeGenericMethod(result).CreateDelegate<Func<Task<object?>, object>>();
        }
        else
        {
            throw new ArgumentException($"Grain interface method {grainInterface.FullName}.{method.Name} returns {returnType}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new ArgumentException($"Grain interface method {grainInterface.FullName}.{method.Name} has a ref/out parameter; grain calls pass values only.");
        }
    }

    public string Name { get; }

    public bool Interleave { get; }

    /// <summary>Whether calls run on the background threads (<see cref="BackgroundWorkAttribute"/> on the interface method).</summary>
    public bool Background { get; }

    public object Call(GrainReference reference, object?[] arguments)
    {
        var copies = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            copies[i] = DeepCopier.Copy(arguments[i]);
        }

        var call = reference.Runtime.CallAsync(reference.GrainId, reference.GrainClass, this, copies);
        return _toCallerTask(call);
    }

    public Task<object?> InvokeOnGrain(Grain grain, object?[] arguments)
    {
        var returned = _method.Invoke(grain, BindingFlags.DoNotWrapExceptions, null, arguments, null)
            ?? throw new InvalidOperationException($"{grain.GetType().Name}.{_method.Name} returned null instead of a task.");
        return _awaitResult(returned);
    }

    private static async Task<object?> AwaitTask(object task)
    {
        await (Task)task;
        return null;
    }

    private static async Task<object?> AwaitValueTask(object task)
    {
        await (ValueTask)task;
        return null;
    }

    private static async Task<object?> AwaitTaskOf<T>(object task) => DeepCopier.Copy(await (Task<T>)task);

    private static async Task<object?> AwaitValueTaskOf<T>(object task) => DeepCopier.Copy(await (ValueTask<T>)task);

    private static object ToTaskOf<T>(Task<object?> call) => CastAsync<T>(call);

    private static object ToValueTaskOf<T>(Task<object?> call) => new ValueTask<T>(CastAsync<T>(call));

    private static async Task<T> CastAsync<T>(Task<object?> call) => (T)(await call.ConfigureAwait(false))!;
}

/// <summary>The validated methods of one grain interface and the class that implements it.</summary>
internal sealed class GrainInterfaceInfo
{
    private readonly Dictionary<MethodInfo, GrainMethodInvoker> _methods;

    public GrainInterfaceInfo(Type grainInterface, GrainTypeRegistry registry)
    {
        if (!grainInterface.IsInterface)
        {
            throw new ArgumentException($"{grainInterface} is not an interface; GetGrain takes a grain interface.");
        }

        Interface = grainInterface;
        _methods = [];
        foreach (var type in grainInterface.GetInterfaces().Append(grainInterface))
        {
            foreach (var method in type.GetMethods())
            {
                _methods[method] = new GrainMethodInvoker(type, method);
            }
        }

        GrainClass = registry.GetByInterface(grainInterface);
    }

    public Type Interface { get; }

    public GrainClassInfo GrainClass { get; }

    public GrainMethodInvoker GetMethod(MethodInfo method) =>
        _methods.TryGetValue(method, out var invoker)
            ? invoker
            : throw new InvalidOperationException($"{method.Name} is not a method of grain interface {Interface}.");
}

/// <summary>A reference to a grain: a proxy that turns interface calls into messages to the grain's single activation.</summary>
// Not sealed and with a public constructor: DispatchProxy derives the proxy class from it.
#pragma warning disable CA1852
internal class GrainReference : DispatchProxy
#pragma warning restore CA1852
{
    private GrainInterfaceInfo? _info;
    private GrainRuntime? _runtime;

    public GrainId GrainId { get; private set; }

    public GrainRuntime Runtime => _runtime!;

    public GrainClassInfo GrainClass => _info!.GrainClass;

    public static object Create(GrainInterfaceInfo info, GrainId id, GrainRuntime runtime)
    {
        var proxy = (GrainReference)DispatchProxy.Create(info.Interface, typeof(GrainReference));
        proxy._info = info;
        proxy._runtime = runtime;
        proxy.GrainId = id;
        return proxy;
    }

    public override string ToString() => $"GrainReference:{GrainId}";

    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        _info!.GetMethod(targetMethod!).Call(this, args ?? []);
}

/// <summary>The activation directory and message dispatch of this silo; also its <see cref="IGrainFactory"/>.</summary>
internal sealed class GrainRuntime : IGrainFactory
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<Type, GrainInterfaceInfo> _interfaces = new();
    private readonly GrainTypeRegistry _registry;
    private volatile bool _stopping;

    public GrainRuntime(IServiceProvider services, GrainTypeRegistry registry, IOptions<SiloOptions> options, ILogger<GrainRuntime> logger)
    {
        Services = services;
        _registry = registry;
        Options = options.Value;
        Logger = logger;
    }

    public IServiceProvider Services { get; }

    public SiloOptions Options { get; }

    public ILogger Logger { get; }

    public GrainTypeRegistry Registry => _registry;

    public ReminderRegistry Reminders => Services.GetRequiredService<ReminderRegistry>();

    public int ActivationCount => _activations.Count;

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        var info = _interfaces.GetOrAdd(typeof(TGrainInterface), static (type, registry) => new GrainInterfaceInfo(type, registry), _registry);
        return (TGrainInterface)GrainReference.Create(info, new GrainId(info.GrainClass.TypeName, primaryKey), this);
    }

    public IStreamProvider GetStreamProvider(string name) =>
        Services.GetKeyedService<IStreamProvider>(name)
        ?? throw new InvalidOperationException($"No stream provider named \"{name}\" is registered: call AddMemoryStreams(\"{name}\") or AddSqliteStreams(\"{name}\", database) on the silo builder.");

    public Grain CreateGrainInstance(ActivationData activation) => activation.GrainClass.Create(activation, Services);

    public async Task<object?> CallAsync(GrainId id, GrainClassInfo grainClass, GrainMethodInvoker method, object?[] arguments)
    {
        var call = SendAsync(id, grainClass, a => method.InvokeOnGrain(a.Instance!, arguments), method.Interleave, method.Name,
            background: method.Background);
        try
        {
            return await call.WaitAsync(Options.ResponseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            throw new TimeoutException($"{method.Name} on {id} did not complete within the response timeout ({Options.ResponseTimeout}).");
        }
    }

    /// <summary>Runs <paramref name="work"/> as a turn of the grain's activation, activating it if needed.</summary>
    public async Task<object?> SendAsync(GrainId id, GrainClassInfo grainClass, Func<ActivationData, Task<object?>> work, bool interleave, string description,
        bool background = false)
    {
        while (true)
        {
            var activation = GetOrCreateActivation(id, grainClass);
            var message = new Message(work, interleave, keepAlive: true, description) { Background = background };
            if (activation.TryEnqueue(message))
            {
                var result = await message.Completion.ConfigureAwait(false);
                if (!ReferenceEquals(result, Message.Rerouted))
                {
                    return result;
                }
            }

            // The activation is going away: wait until it is gone so that the retry creates a fresh one.
            await activation.Deactivated.ConfigureAwait(false);
        }
    }

    public ActivationData? TryGetActivation(GrainId id) => _activations.TryGetValue(id, out var activation) ? activation : null;

    public void RemoveActivation(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.Id, activation));

    public void CollectIdle(TimeSpan age)
    {
        var now = Environment.TickCount64;
        var ageMs = (long)age.TotalMilliseconds;
        foreach (var activation in _activations.Values)
        {
            activation.TryCollect(now, ageMs);
        }
    }

    /// <summary>Refuses new activations, then deactivates every activation once its running turns finish.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        var pending = new List<Task>();
        foreach (var activation in _activations.Values)
        {
            activation.RequestDeactivation(reason);
            pending.Add(activation.Deactivated);
        }

        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private ActivationData GetOrCreateActivation(GrainId id, GrainClassInfo grainClass)
    {
        if (_activations.TryGetValue(id, out var existing))
        {
            return existing;
        }

        if (_stopping)
        {
            throw new InvalidOperationException($"Cannot activate {id}: the silo is shutting down.");
        }

        return _activations.GetOrAdd(id, static (key, state) => new ActivationData(key, state.grainClass, state.runtime), (grainClass, runtime: this));
    }
}
