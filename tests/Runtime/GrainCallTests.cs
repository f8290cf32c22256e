using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cib.Runtime.Tests;

public sealed class GrainCallTests
{
    [Fact]
    public async Task Concurrent_first_calls_create_one_activation()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("one");

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => grain.GetActivationId()));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, silo.Probe.Get("activate:one"));
    }

    [Fact]
    public async Task Persistent_state_is_read_before_OnActivateAsync()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DefaultStorageProviderName);
        await storage.WriteStateAsync("counter", new GrainId("counter", "seeded"), new GrainState<CounterState>(new CounterState { Value = 41 }));

        var grain = silo.Grains.GetGrain<ICounterGrain>("seeded");

        Assert.Equal(41, await grain.GetValueSeenOnActivation());
    }

    [Fact]
    public async Task Thousand_concurrent_calls_to_a_non_reentrant_grain_never_interleave()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ISerialGrain>("serial");

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => grain.Enter(i % 100 == 0 ? 1 : 0)));
        var report = await grain.Report();

        Assert.Equal(1000, report.Calls);
        Assert.Equal(1, report.MaxRequestsInside);
        Assert.Equal(0, report.ThreadOverlaps);
    }

    [Fact]
    public async Task Background_calls_run_on_the_lowered_threads_other_calls_of_the_same_grain_do_not_and_turns_never_overlap()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<IBackgroundGrain>("bulk");

        // Background and ordinary calls mixed on one activation: still one turn at a time.
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            await grain.Enter(i % 100 == 0 ? 1 : 0);
            if (i % 10 == 0)
            {
                await grain.WhereAmINormally();
            }
        }));
        var report = await grain.Report();
        Assert.Equal((1000, 1, 0), (report.Calls, report.MaxRequestsInside, report.ThreadOverlaps));

        // After an await too, a background call is back on a background thread, at the set niceness on Linux.
        var (thread, niceness) = await grain.WhereAmI();
        Assert.StartsWith("cib-background-", thread, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(BackgroundThreads.Niceness, niceness);
            Assert.False(BackgroundThreads.TrySetNiceness(BackgroundThreads.Niceness == 5 ? 6 : 5), "the niceness cannot change once the threads run");
        }

        // An ordinary call to the same activation runs on the thread pool at normal priority.
        var (normalThread, normalNiceness) = await grain.WhereAmINormally();
        Assert.False(normalThread?.StartsWith("cib-background-", StringComparison.Ordinal) ?? false, $"ordinary call ran on {normalThread}");
        if (OperatingSystem.IsLinux())
        {
            Assert.True(normalNiceness < niceness, $"ordinary call at nice {normalNiceness}, background at {niceness}");
        }
    }

    [Fact]
    public async Task Work_given_to_the_background_threads_runs_there_and_its_result_or_exception_comes_back()
    {
        var (thread, isBackground) = await BackgroundThreads.Run(() => (Thread.CurrentThread.Name, BackgroundThreads.IsBackgroundThread));
        Assert.StartsWith("cib-background-", thread, StringComparison.Ordinal);
        Assert.True(isBackground);
        Assert.False(BackgroundThreads.IsBackgroundThread, "the test itself is not on a background thread");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundThreads.Run<int>(() => throw new InvalidOperationException("store is busy")));
        Assert.Equal("store is busy", e.Message);

        // The continuation after the await is not run inline on the background thread.
        await BackgroundThreads.Run(() => 0);
        Assert.False(BackgroundThreads.IsBackgroundThread);
    }

    [Fact]
    public async Task Reentrant_grain_interleaves_requests_but_never_runs_two_threads_at_once()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<IReentrantCounterGrain>("reentrant");

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => grain.Enter(i % 3 == 0 ? 5 : 0)));
        var report = await grain.Report();

        Assert.Equal(300, report.Calls);
        Assert.True(report.MaxRequestsInside > 1, $"requests should interleave at awaits, max inside was {report.MaxRequestsInside}");
        Assert.Equal(0, report.ThreadOverlaps);
    }

    [Fact]
    public async Task AlwaysInterleave_method_runs_while_a_request_is_suspended()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<IInterleaveGrain>("i");

        var blocked = grain.WaitForGate();
        try
        {
            Assert.Equal("pong", await grain.PingInterleaved().WaitAsync(TimeSpan.FromSeconds(10)));
            var queued = grain.Ping();
            await Task.Delay(50);
            Assert.False(queued.IsCompleted, "a non-interleaving call must wait for the running request");

            silo.Probe.Gate.SetResult();
            await blocked;
            Assert.Equal("pong", await queued);
        }
        finally
        {
            // Shutdown waits for running requests, so never leave one blocked.
            silo.Probe.Gate.TrySetResult();
        }
    }

    [Fact]
    public async Task Exception_reaches_the_caller_and_the_activation_stays()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("throws");
        await grain.SetWithoutSaving(7);
        var before = await grain.GetActivationId();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Throw("boom"));

        Assert.Equal("boom", error.Message);
        Assert.Equal(before, await grain.GetActivationId());
        Assert.Equal(7, await grain.Get());
    }

    [Fact]
    public async Task Failed_activation_fails_the_call_and_the_next_call_activates_again()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        silo.Probe.FailTimes("activation", 1);
        var grain = silo.Grains.GetGrain<IFailingActivationGrain>("f");

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Hello());

        Assert.Equal("hello", await grain.Hello());
    }

    [Fact]
    public async Task Callee_mutating_an_argument_does_not_change_the_callers_object()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICopyGrain>("copy");
        var bag = new MutableBag { Name = "mine", Items = [1, 2, 3] };

        Assert.Equal(3, await grain.Consume(bag));

        Assert.Equal("mine", bag.Name);
        Assert.Equal([1, 2, 3], bag.Items);
    }

    [Fact]
    public async Task Caller_mutating_an_argument_or_a_result_does_not_change_the_grains_object()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICopyGrain>("copy");
        var bag = new MutableBag { Name = "kept", Items = [1] };
        await grain.Keep(bag);

        bag.Items.Add(2);
        var result = await grain.GetKept();
        result.Items.Add(3);

        Assert.Equal([1], (await grain.GetKept()).Items);
    }

    [Fact]
    public async Task Immutable_values_are_passed_by_reference()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<ICopyGrain>("copy");
        var message = new SharedMessage("hi");
        silo.Probe.Shared = message;
        Assert.True(await grain.ReceivedSameInstance(message));

        var list = ImmutableList.Create("a", "b");
        silo.Probe.Shared = list;
        Assert.True(await grain.ReceivedSameImmutableList(list));

        Assert.Equal(new Point(1, 2), await grain.Echo(new Point(1, 2)));
    }

    [Fact]
    public async Task ValueTask_methods_and_grain_ids_work()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();
        var grain = silo.Grains.GetGrain<IShoppingCartGrain>("cart-1");

        Assert.Equal("shoppingcart/cart-1", await grain.WhoAmI());
        Assert.Equal(42, await grain.ValueTaskOf(21));
        await grain.ValueTaskPlain();
        Assert.Equal("cart-1", grain.GetPrimaryKeyString());
        Assert.Equal(new GrainId("shoppingcart", "cart-1"), grain.GetGrainId());
    }

    [Fact]
    public async Task Grain_code_resumes_on_its_own_activation_after_calling_another_grain()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();

        Assert.True(await silo.Grains.GetGrain<IShoppingCartGrain>("caller").CallOtherGrainAndStayOnOwnActivation("callee"));
        Assert.Equal(1, await silo.Grains.GetGrain<ICounterGrain>("callee").Get());
    }

    [Fact]
    public async Task GetGrain_rejects_a_method_that_does_not_return_a_task_naming_it()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<IBadReturnGrain>("x"));

        Assert.Contains("IBadReturnGrain.Sync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_requires_exactly_one_implementation()
    {
        await using var silo = await TestSilo.StartInMemoryAsync();

        var none = Assert.Throws<InvalidOperationException>(() => silo.Grains.GetGrain<IUnimplementedGrain>("x"));
        var two = Assert.Throws<InvalidOperationException>(() => silo.Grains.GetGrain<IAmbiguousGrain>("x"));

        Assert.Contains("No grain class implements", none.Message, StringComparison.Ordinal);
        Assert.Contains("AmbiguousOneGrain", two.Message, StringComparison.Ordinal);
        Assert.Contains("AmbiguousTwoGrain", two.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grain_type_name_comes_from_the_attribute_or_the_class_name()
    {
        Assert.Equal("counter", GrainExtensions.GrainTypeNameOf(typeof(CounterGrain)));
        Assert.Equal("shoppingcart", GrainExtensions.GrainTypeNameOf(typeof(ShoppingCartGrain)));
        Assert.Equal("type/key", new GrainId("type", "key").ToString());
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestSilo.StartAsync(silo => silo.Configure<SiloOptions>(o => o.CollectionAge = TimeSpan.Zero)));
    }

    [Fact]
    public async Task Missing_storage_provider_is_a_clear_error()
    {
        await using var silo = await TestSilo.StartAsync(_ => { });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<ICounterGrain>("x").Get());

        Assert.Contains("AddMemoryGrainStorage(\"Default\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graceful_shutdown_deactivates_every_activation()
    {
        var silo = await TestSilo.StartInMemoryAsync();
        await using (silo)
        {
            foreach (var key in new[] { "a", "b", "c" })
            {
                await silo.Grains.GetGrain<ICounterGrain>(key).Get();
            }

            await silo.StopAsync();
        }

        Assert.True(silo.Probe.Has("deactivate:a:ShuttingDown"));
        Assert.True(silo.Probe.Has("deactivate:b:ShuttingDown"));
        Assert.True(silo.Probe.Has("deactivate:c:ShuttingDown"));
    }
}
