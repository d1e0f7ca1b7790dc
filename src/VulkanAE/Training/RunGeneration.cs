using System.Text.Json;
using VulkanAE.IO;

namespace VulkanAE.Training;

/// <summary>
/// Files of a run that must always describe the same epoch (the checkpoint, model.safetensors,
/// metrics.csv, kernel_choices.json), replaced together as one generation with a journal, the way
/// SQLite commits: every file is staged complete under its temporary name, then the journal naming
/// them is written (its rename is the commit), then each staged file is renamed into place and the
/// journal deleted. A process killed before the commit leaves the old generation and temporary
/// files; one killed after it leaves a journal that <see cref="Recover"/> carries out.
/// </summary>
internal static class RunGeneration
{
    public const string JournalFile = "generation.json";

    /// <summary>Replaces the files named by <paramref name="files"/> in <paramref name="directory"/> with what their writers give, all or none.</summary>
    public static void Commit(string directory, IReadOnlyList<(string File, Action<Stream> Write)> files)
    {
        try
        {
            foreach (var (file, write) in files) RunFile.Stage(Path.Combine(directory, file), write);
        }
        catch
        {
            foreach (var (file, _) in files) RunFile.Discard(Path.Combine(directory, file));
            throw;
        }
        string[] names = [.. files.Select(f => f.File)];
        RunFile.Write(Path.Combine(directory, JournalFile), stream => JsonSerializer.Serialize(stream, names));
        Complete(directory, names);
    }

    /// <summary>
    /// Brings <paramref name="directory"/> to its last committed generation after a crash: finishes a
    /// commit its journal records, then removes every temporary file left behind.
    /// </summary>
    public static void Recover(string directory)
    {
        var journal = Path.Combine(directory, JournalFile);
        if (File.Exists(journal)) Complete(directory, ReadJournal(journal));
        RunFile.RemoveLeftovers(directory);
    }

    private static void Complete(string directory, string[] files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file);
            // Absent when a previous recovery had already renamed it before it was stopped.
            if (File.Exists(path + RunFile.TemporarySuffix)) RunFile.Publish(path);
        }
        RunFile.Delete(Path.Combine(directory, JournalFile));
    }

    private static string[] ReadJournal(string journal)
    {
        const string Fix = "it is not the list of file names `vae train` writes; delete it if the run's files are whole, or train the run again";
        string[]? files;
        try
        {
            files = JsonSerializer.Deserialize<string[]>(File.ReadAllText(journal));
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{journal}: {e.Message}; {Fix}");
        }
        if (files is null || files.Any(f => string.IsNullOrEmpty(f) || Path.GetFileName(f) != f))
            throw new UserInputException($"{journal}: {Fix}");
        return files;
    }
}
