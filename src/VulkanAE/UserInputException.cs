namespace VulkanAE;

/// <summary>
/// Something the user gave (a file, a folder, an option) is wrong. The message names the file or
/// option, the field and how to fix it, because the CLI shows it as is, without a stack trace, and
/// exits with status 2. Anything else that escapes is a bug.
/// </summary>
internal class UserInputException(string message, Exception? innerException = null) : Exception(message, innerException);
