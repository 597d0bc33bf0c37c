namespace Report;

/// <summary>
/// The report's own files under docs/benchmarks/: the charts and the copied CSVs. They are cleared before each run so
/// that a suite dropped from the results leaves no stale chart or data behind.
/// </summary>
public static class ReportOutput
{
    /// <summary>Deletes the previous run's charts and CSV copies, creating the directories if needed.</summary>
    public static void Reset(ReportPaths paths)
    {
        Directory.CreateDirectory(paths.Data);
        foreach (var chart in Directory.GetFiles(paths.Charts, "*.png")) File.Delete(chart);
        foreach (var copy in Directory.GetFiles(paths.Data, "*.csv")) File.Delete(copy);
    }

    /// <summary>Copies every results CSV into the data directory, next to the charts drawn from it.</summary>
    public static void CopyData(ResultSet results, ReportPaths paths)
    {
        foreach (var file in results.Files) File.Copy(file, Path.Combine(paths.Data, Path.GetFileName(file)), overwrite: true);
    }
}
