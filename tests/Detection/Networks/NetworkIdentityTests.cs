using Cib.Detection.Networks;

namespace Cib.Detection.Tests.Networks;

public class NetworkIdentityTests
{
    [Fact]
    public void A_network_that_grows_keeps_its_id_and_a_new_one_gets_a_member_derived_id()
    {
        string[] first = ["a", "b", "c", "d"];
        var firstId = NetworkIdentity.Assign([first], new Dictionary<string, string>(), new Dictionary<string, int>())[0];
        Assert.Equal(NetworkIdentity.NewId(first), firstId);
        var previous = first.ToDictionary(m => m, _ => firstId);
        var ids = NetworkIdentity.Assign([["a", "b", "c", "d", "e", "f"], ["x", "y", "z"]], previous, new Dictionary<string, int> { [firstId] = 4 });
        Assert.Equal(firstId, ids[0]);
        Assert.NotEqual(firstId, ids[1]);
    }

    [Fact]
    public void When_a_network_splits_only_the_larger_part_keeps_the_id()
    {
        var previous = new[] { "a", "b", "c", "d", "e", "f" }.ToDictionary(m => m, _ => "net-1");
        var ids = NetworkIdentity.Assign([["a", "b"], ["c", "d", "e", "f"]], previous, new Dictionary<string, int> { ["net-1"] = 6 });
        Assert.Equal("net-1", ids[1]);
        Assert.NotEqual("net-1", ids[0]);
    }

    [Fact]
    public void Small_overlap_does_not_inherit_an_id()
    {
        var previous = Enumerable.Range(0, 10).ToDictionary(i => $"m{i}", _ => "net-1");
        var ids = NetworkIdentity.Assign([["m0", "x1", "x2", "x3", "x4"]], previous, new Dictionary<string, int> { ["net-1"] = 10 });
        Assert.NotEqual("net-1", ids[0]);
    }
}
