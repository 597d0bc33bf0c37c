namespace QuickStart;

/// <summary>A clock the demo moves by hand, so expiry can be shown without waiting.</summary>
internal sealed class DemoClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
