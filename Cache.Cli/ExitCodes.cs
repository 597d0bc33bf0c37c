namespace FunctionalCache.Cli;

/// <summary>The process exit codes of <c>fcache</c>, one per kind of outcome.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>A miss: the key is absent or expired (<c>get</c>, <c>delete</c>), or holds no integer to increment (<c>incr</c>).</summary>
    public const int Miss = 1;

    /// <summary>A usage or configuration error: a bad option, a bad or missing backend URI, an invalid key.</summary>
    public const int Usage = 2;

    /// <summary>The backend failed: I/O, a database, a server.</summary>
    public const int BackendFailure = 3;

    /// <summary><c>get</c> found a value, but not one it can print: its bytes are not UTF-8 text (stored by a program, not by <c>fcache set</c>).</summary>
    public const int NotText = 4;
}
