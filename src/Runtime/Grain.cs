namespace Cib.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates one instance per activation; its code runs one turn at a time.
/// </summary>
public abstract class Grain : IAddressable
{
    // The constructor runs synchronously on the thread that creates the activation, so a thread-static hands the
    // activation to the base constructor without making every grain constructor take a context parameter.
    [ThreadStatic]
    private static ActivationData? t_constructing;

    private readonly ActivationData? _activation;

    /// <summary>Creates the grain; the runtime supplies its context.</summary>
    protected Grain()
    {
        _activation = t_constructing;
    }

    internal ActivationData Activation => _activation
        ?? throw new InvalidOperationException($"{GetType().Name} was not created by the grain runtime, so it has no grain context. Obtain grains through IGrainFactory.GetGrain.");

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.Id;

    /// <summary>This grain's string key.</summary>
    public string GetPrimaryKeyString() => Activation.Id.Key;

    /// <summary>Creates references to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => Activation.Runtime.Services;

    /// <summary>Runs after persistent state was read and before the first request is processed.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs when the activation is removed. State is not saved implicitly: write it in the request that changed it.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current request completes.</summary>
    protected void DeactivateOnIdle() =>
        Activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>Keeps this activation from being collected as idle for at least this long.</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => Activation.DelayDeactivation(timeSpan);

    /// <summary>Registers a timer whose callbacks run as turns of this activation and never overlap each other.</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Activation.RegisterTimer((s, ct) => callback((TState)s!, ct), state, options);
    }

    /// <summary>Registers a timer whose callbacks run as turns of this activation and never overlap each other.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Activation.RegisterTimer((_, ct) => callback(ct), null, options);
    }

    /// <summary>Registers (or replaces) a durable reminder: it fires even if this activation or the silo is gone, activating the grain.</summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        Activation.Runtime.Reminders.RegisterOrUpdateAsync(Activation, reminderName, dueTime, period);

    /// <summary>Removes a reminder.</summary>
    protected Task UnregisterReminder(IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return Activation.Runtime.Reminders.UnregisterAsync(Activation.Id, reminder.ReminderName);
    }

    /// <summary>The reminder of this grain with this name, or null.</summary>
    protected Task<IGrainReminder?> GetReminder(string reminderName) =>
        Activation.Runtime.Reminders.GetAsync(Activation.Id, reminderName);

    /// <summary>The stream provider registered under this name.</summary>
    public IStreamProvider GetStreamProvider(string name) => Activation.Runtime.GetStreamProvider(name);

    internal static Grain Construct(ActivationData activation, Func<Grain> constructor)
    {
        var previous = t_constructing;
        t_constructing = activation;
        try
        {
            return constructor();
        }
        finally
        {
            t_constructing = previous;
        }
    }
}
