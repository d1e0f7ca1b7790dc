namespace VulkanAE.Data;

/// <summary>
/// Finds the repository's git-ignored data/ folder (filled by tools/setup.sh) without the user
/// having to pass a path: tests and the CLI run from bin/ folders several levels below it.
/// </summary>
internal static class DataDirectory
{
    /// <summary>Environment variable naming the folder that holds the data sets (data/ by default).</summary>
    public const string EnvironmentVariable = "VULKANAE_DATA";

    private const string DataFolderName = "data";

    /// <summary>
    /// The folder of data set <paramref name="datasetName"/> (e.g. "mnist"): $VULKANAE_DATA/name when
    /// the variable is set, else the first data/name found walking up from the application's folder,
    /// then from the current directory.
    /// </summary>
    /// <exception cref="DatasetException">The variable is unset and no data/name folder exists above either start.</exception>
    public static string Locate(string datasetName)
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return Path.Combine(overridden, datasetName);
        }

        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (string start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, DataFolderName, datasetName);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DatasetException(
            $"{DataFolderName}/{datasetName}: not found in {string.Join(" or ", starts)} nor their parents: " +
            $"run tools/setup.sh from the repository, or set {EnvironmentVariable} to the folder that holds {datasetName}/");
    }
}
