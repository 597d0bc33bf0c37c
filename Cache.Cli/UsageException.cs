namespace FunctionalCache.Cli;

/// <summary>A usage or configuration mistake; <c>fcache</c> prints the message and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> names the bad part.</summary>
    public UsageException(string message, Exception? cause = null) : base(message, cause) { }
}
