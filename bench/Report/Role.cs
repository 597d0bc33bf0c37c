namespace Report;

/// <summary>Who a row measured, as bench/RESULTS.md names the <c>role</c> column.</summary>
public enum Role
{
    /// <summary>FunctionalCache.</summary>
    Ours,

    /// <summary>Another library measured beside ours.</summary>
    Peer,

    /// <summary>The row every other row of its (suite, case, unit) group is divided by.</summary>
    Baseline,
}
