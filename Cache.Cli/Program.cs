return await FunctionalCache.Cli.Fcache.RunAsync(args).ConfigureAwait(false);
