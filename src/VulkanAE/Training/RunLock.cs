using System.Globalization;
using VulkanAE.IO;

namespace VulkanAE.Training;

/// <summary>
/// One process at a time trains in a run directory: an advisory lock on its <see cref="LockFile"/>
/// (flock through FileShare.None on Unix, a share-none handle on Windows), which the OS releases
/// when the process ends however it ends, so a killed run never leaves the directory locked. The
/// file holds the holder's PID, for the message that refuses a second run.
/// </summary>
internal sealed class RunLock : IDisposable
{
    public const string LockFile = "vae.lock";

    private readonly FileStream _held;

    private RunLock(FileStream held) => _held = held;

    /// <summary>Locks <paramref name="directory"/> (which must exist) or refuses, naming the process that holds it.</summary>
    public static RunLock Acquire(string directory)
        => TryAcquire(directory) ?? throw new UserInputException(
            $"{directory} is in use by another `vae train` ({Holder(Path.Combine(directory, LockFile))}): "
            + "wait for it to finish or stop it, or choose another --out");

    /// <summary>The lock, or null while another process holds it.</summary>
    public static RunLock? TryAcquire(string directory)
    {
        var path = Path.Combine(directory, LockFile);
        FileStream held;
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot lock the run directory ({e.Message.TrimEnd('.')}); check that {directory} is a writable folder, or choose another --out", e);
        }
        held.SetLength(0);
        held.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        held.Flush();
        return new RunLock(held);
    }

    /// <summary>"process N" from the lock file, read without taking the lock (a .NET read would ask for a shared one and be refused).</summary>
    private static string Holder(string path)
    {
        var pid = OperatingSystem.IsWindows() ? null : Posix.ReadSmallFile(path)?.Trim();
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? $"process {id}" : "a process whose PID it could not read";
    }

    public void Dispose() => _held.Dispose();
}
