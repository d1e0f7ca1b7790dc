using System.Runtime.InteropServices;
using System.Text;

namespace VulkanAE.Core;

/// <summary>NUL-terminated UTF-8 copies of strings, alive until disposed, for Vulkan create-infos.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly Dictionary<string, nint> _strings = new();

    public NativeStrings(IEnumerable<string> strings)
    {
        foreach (var s in strings)
        {
            if (_strings.ContainsKey(s)) continue;
            var bytes = Encoding.UTF8.GetBytes(s + "\0");
            var memory = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, memory, bytes.Length);
            _strings[s] = memory;
        }
    }

    public byte* this[string s] => (byte*)_strings[s];

    public void Dispose()
    {
        foreach (var memory in _strings.Values) Marshal.FreeHGlobal(memory);
        _strings.Clear();
    }
}
