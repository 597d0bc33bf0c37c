namespace Report.TargetKinds;

/// <summary>Whether a target was met, missed, or could not be judged for want of a figure.</summary>
public enum TargetStatus
{
    /// <summary>The measured figure satisfies the comparator.</summary>
    Met,

    /// <summary>The measured figure misses the threshold.</summary>
    NotMet,

    /// <summary>A figure the target reads was not in the results (its suite not run, or the row absent).</summary>
    NotMeasured,
}

/// <summary>A target held against one set of results.</summary>
/// <param name="Target">The target.</param>
/// <param name="Measured">The ratio, difference or value, when every figure was present.</param>
/// <param name="Status">The verdict.</param>
public sealed record TargetResult(Target Target, double? Measured, TargetStatus Status)
{
    /// <summary>The verdict as the targets table prints it.</summary>
    public string Verdict => Status switch
    {
        TargetStatus.Met => "met",
        TargetStatus.NotMet => "**NOT met**",
        _ => "not measured",
    };
}
