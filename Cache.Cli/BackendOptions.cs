using System.CommandLine;
using FunctionalCache.Backends;

namespace FunctionalCache.Cli;

/// <summary>
/// The <c>--backend</c> and <c>--strict</c> options every cache command takes, and opening the cache
/// they name: the option wins over the <c>CACHE_BACKEND</c> environment variable.
/// </summary>
internal sealed class BackendOptions
{
    /// <summary>The environment variable read when <c>--backend</c> is not given.</summary>
    public const string EnvironmentVariable = "CACHE_BACKEND";

    /// <summary>What every cache command's help says about the backend.</summary>
    public const string HelpNote =
        "The cache backend URI, e.g. file:///var/tmp/cache, db://my_cache_table?database=cache.sqlite, " +
        "memcached://127.0.0.1:11211/, redis://127.0.0.1:6379/0. Default: the CACHE_BACKEND environment variable. locmem:/// lives inside one " +
        "process, so every fcache run starts with an empty one: the CLI serves file, db, memcached and redis caches.";

    /// <summary>Creates the two options (one set per command).</summary>
    public BackendOptions()
    {
        Backend = new Option<string>("--backend", "-b")
        {
            Description = HelpNote,
            HelpName = "URI",
        };
        Strict = new Option<bool>("--strict")
        {
            Description = "Treat URI warnings (unknown arguments, bad values) as errors instead of ignoring them.",
        };
    }

    /// <summary><c>--backend URI</c>.</summary>
    public Option<string> Backend { get; }

    /// <summary><c>--strict</c>.</summary>
    public Option<bool> Strict { get; }

    /// <summary>Adds both options to <paramref name="command"/> and returns it.</summary>
    public Command AddTo(Command command)
    {
        command.Add(Backend);
        command.Add(Strict);
        return command;
    }

    /// <summary>The URI the command runs against.</summary>
    /// <exception cref="UsageException">Neither <c>--backend</c> nor <c>CACHE_BACKEND</c> is given.</exception>
    public string ResolveUri(ParseResult parse)
    {
        var fromOption = parse.GetValue(Backend);
        if (!string.IsNullOrWhiteSpace(fromOption)) return fromOption;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        throw new UsageException($"No cache backend: pass --backend URI or set the {EnvironmentVariable} environment variable.");
    }

    /// <summary>Opens the cache the command names, logging URI and key warnings to standard error.</summary>
    /// <exception cref="UsageException">No URI, or the URI is invalid (the message names the bad part).</exception>
    public OpenedCache Open(ParseResult parse)
    {
        var uri = ResolveUri(parse);
        var context = CacheContext.Default.WithLogger(new StderrLogger(Terminal.Error(parse)));
        try
        {
            return new OpenedCache(uri, Caches.FromUri(uri, context, parse.GetValue(Strict)));
        }
        catch (FormatException e)
        {
            var source = string.IsNullOrWhiteSpace(parse.GetValue(Backend)) ? EnvironmentVariable : "--backend";
            throw new UsageException($"{source}: {Printable.Sentences(e.Message)}", e);
        }
    }
}
