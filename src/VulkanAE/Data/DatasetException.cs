namespace VulkanAE.Data;

/// <summary>
/// A data set file or folder is missing or malformed. The message names the file and, where
/// possible, how to fix it, because it is shown to the user as is.
/// </summary>
internal sealed class DatasetException(string message, Exception? innerException = null)
    : UserInputException(message, innerException);
