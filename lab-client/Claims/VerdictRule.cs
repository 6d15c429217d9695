namespace Lab.Client.Claims;

/// <summary>How a claim's verdict is computed from what its scenario measured.</summary>
public enum VerdictRule
{
    /// <summary>
    /// From the scenario's checks: every effect check held → reproduced (with qualification when a qualification
    /// check held too); some held → reproduced with qualification, naming what did not; none → not reproduced.
    /// </summary>
    EffectChecks,

    /// <summary>
    /// A paired comparison over interleaved repetitions: the claim says there is no benefit, so it is reproduced
    /// when the effect size's 95 % interval excludes a benefit, with qualification when it also includes no difference.
    /// </summary>
    PairedNoBenefit,

    /// <summary>The claim is about a platform the lab does not run (the reason says which).</summary>
    NotApplicable,
}
