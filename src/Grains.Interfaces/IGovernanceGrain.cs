using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>Account labels and exemptions (key: <see cref="SweepGrainKeys.Default"/>); every change is audited.</summary>
public interface IGovernanceGrain : IGrainWithStringKey
{
    /// <summary>Replaces an account's labels.</summary>
    Task<AccountMarks> SetLabelsAsync(string account, LabelRequest request, string by);

    /// <summary>Records an exemption approved by <paramref name="approver"/>.</summary>
    Task<Exemption> AddExemptionAsync(ExemptionRequest request, string approver);

    /// <summary>All labels and exemptions (expired ones included, for reports).</summary>
    Task<GovernanceView> GetAsync();
}
