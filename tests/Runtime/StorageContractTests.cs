namespace Cib.Runtime.Tests;

/// <summary>What every <see cref="IGrainStorage"/> must do. Subclass it for each implementation (memory, SQLite, PostgreSQL...).</summary>
public abstract class GrainStorageContractTests
{
    private static readonly GrainId Grain = new("contract", "key-1");

    protected abstract IGrainStorage Storage { get; }

    [Fact]
    public async Task Reading_a_missing_record_reports_it_does_not_exist()
    {
        var state = new GrainState<CounterState>(new CounterState());

        await Storage.ReadStateAsync("missing", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Value);
    }

    [Fact]
    public async Task Written_state_reads_back()
    {
        var written = new GrainState<CounterState>(new CounterState { Value = 12 });
        await Storage.WriteStateAsync("round-trip", Grain, written);

        var read = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("round-trip", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(12, read.State.Value);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task Every_write_changes_the_etag()
    {
        var state = new GrainState<CounterState>(new CounterState { Value = 1 });
        await Storage.WriteStateAsync("etag", Grain, state);
        var first = state.ETag;
        state.State.Value = 2;
        await Storage.WriteStateAsync("etag", Grain, state);

        Assert.NotNull(first);
        Assert.NotEqual(first, state.ETag);
    }

    [Fact]
    public async Task Writing_with_a_stale_etag_throws_InconsistentStateException()
    {
        var one = new GrainState<CounterState>(new CounterState { Value = 1 });
        await Storage.WriteStateAsync("stale", Grain, one);
        var two = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("stale", Grain, two);
        two.State.Value = 2;
        await Storage.WriteStateAsync("stale", Grain, two);

        one.State.Value = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("stale", Grain, one));
    }

    [Fact]
    public async Task Writing_a_new_record_over_an_existing_one_throws_InconsistentStateException()
    {
        await Storage.WriteStateAsync("exists", Grain, new GrainState<CounterState>(new CounterState { Value = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("exists", Grain, new GrainState<CounterState>(new CounterState { Value = 2 })));
    }

    [Fact]
    public async Task Cleared_state_reads_as_missing_and_can_be_written_again()
    {
        var state = new GrainState<CounterState>(new CounterState { Value = 5 });
        await Storage.WriteStateAsync("clear", Grain, state);
        await Storage.ClearStateAsync("clear", Grain, state);
        Assert.False(state.RecordExists);

        var read = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("clear", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State.Value);

        read.State.Value = 6;
        await Storage.WriteStateAsync("clear", Grain, read);
        var again = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("clear", Grain, again);
        Assert.Equal(6, again.State.Value);
    }

    [Fact]
    public async Task A_stale_writer_conflicts_even_after_a_clear()
    {
        var stale = new GrainState<CounterState>(new CounterState { Value = 1 });
        await Storage.WriteStateAsync("tombstone", Grain, stale);
        var other = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("tombstone", Grain, other);
        await Storage.ClearStateAsync("tombstone", Grain, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("tombstone", Grain, stale));
    }

    [Fact]
    public async Task State_names_and_grains_are_independent()
    {
        await Storage.WriteStateAsync("a", Grain, new GrainState<CounterState>(new CounterState { Value = 1 }));
        await Storage.WriteStateAsync("b", Grain, new GrainState<CounterState>(new CounterState { Value = 2 }));
        await Storage.WriteStateAsync("a", new GrainId("contract", "key-2"), new GrainState<CounterState>(new CounterState { Value = 3 }));

        var a = new GrainState<CounterState>(new CounterState());
        var b = new GrainState<CounterState>(new CounterState());
        var other = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("a", Grain, a);
        await Storage.ReadStateAsync("b", Grain, b);
        await Storage.ReadStateAsync("a", new GrainId("contract", "key-2"), other);

        Assert.Equal(1, a.State.Value);
        Assert.Equal(2, b.State.Value);
        Assert.Equal(3, other.State.Value);
    }
}

public sealed class MemoryGrainStorageTests : GrainStorageContractTests
{
    protected override IGrainStorage Storage { get; } = new MemoryGrainStorage();
}

public sealed class SqliteGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public SqliteGrainStorageTests() => Storage = new SqliteGrainStorage(_database.Open());

    protected override IGrainStorage Storage { get; }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task State_survives_reopening_the_file()
    {
        await Storage.WriteStateAsync("durable", new GrainId("t", "k"), new GrainState<CounterState>(new CounterState { Value = 9 }));

        var reopened = new SqliteGrainStorage(_database.Open());
        var read = new GrainState<CounterState>(new CounterState());
        await reopened.ReadStateAsync("durable", new GrainId("t", "k"), read);

        Assert.Equal(9, read.State.Value);
    }
}
