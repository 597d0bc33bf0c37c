namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// Names the operation a Peers class measures, as the <c>case</c> column of <c>inprocess.csv</c>
/// spells it before the thread count (<c>get-hit</c> becomes <c>get-hit, 2 threads</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class PeerCaseAttribute(string operation) : Attribute
{
    public string Operation { get; } = operation;

    /// <summary>The case name for <paramref name="threads"/> threads.</summary>
    public string CaseFor(int threads) => $"{Operation}, {threads} thread{(threads == 1 ? "" : "s")}";
}
