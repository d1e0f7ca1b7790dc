using System.Text;

namespace VulkanAE.IO;

/// <summary>
/// The one way a file of a run (or of any output folder: pictures, CSVs, safetensors, JSON) is
/// written, so a kill, a power cut or a full disk never leaves it empty, cut short or half old:
/// the content goes to a temporary file beside it (<see cref="TemporarySuffix"/>), which is
/// flushed to disk, then renamed over the file, and the folder is synced so the rename lasts.
/// A reader sees the old file or the new one, nothing between. A failure names the file and the
/// cause, removes the temporary file and leaves what was there untouched.
/// </summary>
internal static class RunFile
{
    /// <summary>Ends the name of a file still being written; <see cref="RemoveLeftovers"/> deletes those a killed process left.</summary>
    public const string TemporarySuffix = ".partial";

    /// <summary>Writes the file at <paramref name="path"/> with what <paramref name="write"/> puts in the stream, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        Stage(path, write);
        Publish(path);
    }

    public static void WriteAllBytes(string path, byte[] content) => Write(path, stream => stream.Write(content));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark, as File.WriteAllText does.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The first half of <see cref="Write"/>: the content, complete and on disk, under the temporary
    /// name. Several files staged and then published one by one form a generation (see RunGeneration).
    /// </summary>
    public static void Stage(string path, Action<Stream> write)
    {
        string temporary = path + TemporarySuffix;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                WriteFaults.AtWrite(stream);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Discard(path);
            throw Failure(path, e);
        }
    }

    /// <summary>Deletes the staged copy of <paramref name="path"/>, if any, when what it was written for has failed.</summary>
    public static void Discard(string path)
    {
        try
        {
            File.Delete(path + TemporarySuffix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A write already failed; that error names the cause, and the next run removes the leftover.
        }
    }

    /// <summary>The second half of <see cref="Write"/>: renames the staged file over <paramref name="path"/> and syncs the folder.</summary>
    public static void Publish(string path)
    {
        WriteFaults.AtPublish();
        try
        {
            File.Move(path + TemporarySuffix, path, overwrite: true);
            SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, e);
        }
    }

    /// <summary>Deletes <paramref name="path"/> (if it is there) and syncs its folder, so the deletion lasts too.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
            SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, e, "cannot delete");
        }
    }

    /// <summary>Deletes the temporary files a killed writer left in <paramref name="directory"/>.</summary>
    public static void RemoveLeftovers(string directory)
    {
        foreach (var leftover in Directory.EnumerateFiles(directory, "*" + TemporarySuffix)) Delete(leftover);
    }

    private static void SyncFolder(string directory)
    {
        // Windows has no handle to sync a folder by; NTFS journals the rename itself.
        if (!OperatingSystem.IsWindows()) Posix.SyncDirectory(directory);
    }

    private static UserInputException Failure(string path, Exception cause, string what = "cannot write")
        => new($"{path}: {what} it ({cause.Message.TrimEnd('.')}). {Fix(path, cause)}; nothing already saved there was changed", cause);

    private static string Fix(string path, Exception cause)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (cause is UnauthorizedAccessException) return $"give write permission on {folder}, or choose another --out";
        if (cause.HResult == Posix.NoSpaceLeft || cause.Message.Contains("No space", StringComparison.OrdinalIgnoreCase))
            return $"free space on the disk holding {folder}";
        if (File.Exists(folder)) return $"{folder} is a file, not a folder: choose another --out";
        return $"check that {folder} is a writable folder on a writable disk, or choose another --out";
    }
}
