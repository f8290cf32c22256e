using Cib.Detection.Signals;

namespace Cib.Detection.Evaluation;

/// <summary>Signals with the ground truth to judge a detector's networks by.</summary>
/// <param name="Name">Short name shown in evaluation tables ("ira-2016", "camouflage").</param>
/// <param name="Signals">Every signal, in any order.</param>
/// <param name="GroupOf">Each inauthentic account's group: the planted campaign, the IRA category,
/// the Lee 2011 label. Accounts not in it are organic.</param>
/// <param name="Accounts">Every account in the data, organic ones included.</param>
/// <param name="Eligible">Inauthentic accounts active enough to be findable at all (for IRA: those with
/// at least 20 retweets); null when every inauthentic account counts.</param>
public sealed record LabelledDataset(
    string Name,
    IReadOnlyList<Signal> Signals,
    IReadOnlyDictionary<string, string> GroupOf,
    IReadOnlyCollection<string> Accounts,
    IReadOnlySet<string>? Eligible = null)
{
    /// <summary>Accounts not in <see cref="GroupOf"/>.</summary>
    public int OrganicAccounts => Accounts.Count(a => !GroupOf.ContainsKey(a));
}
