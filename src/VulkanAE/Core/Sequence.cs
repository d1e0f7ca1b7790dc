using Silk.NET.Vulkan;

namespace VulkanAE.Core;

/// <summary>
/// A recorded command buffer that is replayed: a training step is recorded once and submitted
/// as many times as there are steps. It begins with a barrier against all earlier work on the
/// queue and ends with one that makes its writes visible to the host, so consecutive
/// submissions (and repeats within one submission) are ordered without host waits.
/// With profiling on, every command is timed with timestamp queries (and serialised by barriers,
/// so each time belongs to one command).
/// </summary>
internal sealed unsafe class Sequence : IDisposable
{
    private const PipelineStageFlags ComputeAndTransfer = PipelineStageFlags.ComputeShaderBit | PipelineStageFlags.TransferBit;
    private const AccessFlags AllWrites = AccessFlags.ShaderWriteBit | AccessFlags.TransferWriteBit;
    private const AccessFlags AllAccesses = AllWrites | AccessFlags.ShaderReadBit | AccessFlags.TransferReadBit;

    private static Vk Vk => VulkanApi.Vk;

    private readonly Gpu _gpu;
    private readonly List<SequenceRecorder.Command> _commands;
    private readonly bool _profile;
    private DescriptorPool _descriptorPool;
    private readonly Dictionary<(ulong Buffer, ulong Offset, ulong Range), BufferView> _texelViews = [];
    private QueryPool _queryPool;
    private CommandBuffer _commandBuffer;

    public string Name { get; }
    public int BarrierCount { get; private set; }

    private Sequence(Gpu gpu, string name, List<SequenceRecorder.Command> commands, bool profile)
    {
        _gpu = gpu;
        Name = name;
        _commands = commands;
        _profile = profile;
        try
        {
            var sets = AllocateDescriptorSets();
            if (profile) CreateQueryPool();
            RecordCommandBuffer(sets);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static Sequence Record(Gpu gpu, string name, Action<SequenceRecorder> record, bool profile = false)
    {
        var recorder = new SequenceRecorder(gpu);
        record(recorder);
        return new Sequence(gpu, name, recorder.Commands, profile);
    }

    /// <summary>Submits the sequence <paramref name="repeat"/> times back to back; the host does not wait.</summary>
    public Submission Submit(int repeat = 1)
    {
        if (repeat < 1) throw new ArgumentOutOfRangeException(nameof(repeat));
        return _gpu.Submit(_commandBuffer, repeat);
    }

    /// <summary>One descriptor set per distinct (kernel, buffers) pair: repeated dispatches share theirs.</summary>
    private Dictionary<string, DescriptorSet> AllocateDescriptorSets()
    {
        var distinct = new Dictionary<string, SequenceRecorder.DispatchCommand>();
        foreach (var dispatch in _commands.OfType<SequenceRecorder.DispatchCommand>())
            distinct.TryAdd(SetKey(dispatch), dispatch);
        var sets = new Dictionary<string, DescriptorSet>();
        if (distinct.Count == 0) return sets;

        var poolSizes = distinct.Values.SelectMany(d => d.Kernel.Signature.Bindings).GroupBy(Kernel.DescriptorTypeOf)
            .Select(g => new DescriptorPoolSize { Type = g.Key, DescriptorCount = (uint)g.Count() }).ToArray();
        DescriptorPool pool;
        fixed (DescriptorPoolSize* sizes = poolSizes)
        {
            var poolInfo = new DescriptorPoolCreateInfo
            {
                SType = StructureType.DescriptorPoolCreateInfo,
                MaxSets = (uint)distinct.Count,
                PoolSizeCount = (uint)poolSizes.Length,
                PPoolSizes = sizes,
            };
            Vk.CreateDescriptorPool(_gpu.Device, &poolInfo, null, &pool).Check("vkCreateDescriptorPool");
        }
        _descriptorPool = pool;

        foreach (var (key, dispatch) in distinct)
        {
            var layout = dispatch.Kernel.DescriptorSetLayout;
            var allocateInfo = new DescriptorSetAllocateInfo
            {
                SType = StructureType.DescriptorSetAllocateInfo,
                DescriptorPool = pool,
                DescriptorSetCount = 1,
                PSetLayouts = &layout,
            };
            DescriptorSet set;
            Vk.AllocateDescriptorSets(_gpu.Device, &allocateInfo, &set).Check("vkAllocateDescriptorSets");
            int n = dispatch.Buffers.Length;
            var infos = new DescriptorBufferInfo[n];
            var views = new BufferView[n];
            var writes = new WriteDescriptorSet[n];
            for (int i = 0; i < n; i++)
            {
                var tensor = dispatch.Buffers[i];
                var type = Kernel.DescriptorTypeOf(dispatch.Kernel.Signature.Bindings[i]);
                if (type == DescriptorType.UniformTexelBuffer) views[i] = TexelView(tensor);
                else infos[i] = new DescriptorBufferInfo { Buffer = tensor.Buffer, Offset = tensor.OffsetBytes, Range = tensor.SizeBytes };
                writes[i] = new WriteDescriptorSet
                {
                    SType = StructureType.WriteDescriptorSet,
                    DstSet = set,
                    DstBinding = (uint)i,
                    DescriptorCount = 1,
                    DescriptorType = type,
                };
            }
            fixed (DescriptorBufferInfo* pInfos = infos)
            fixed (BufferView* pViews = views)
            fixed (WriteDescriptorSet* pWrites = writes)
            {
                for (int i = 0; i < n; i++)
                {
                    if (pWrites[i].DescriptorType == DescriptorType.UniformTexelBuffer) pWrites[i].PTexelBufferView = &pViews[i];
                    else pWrites[i].PBufferInfo = &pInfos[i];
                }
                Vk.UpdateDescriptorSets(_gpu.Device, (uint)n, pWrites, 0, null);
            }
            sets[key] = set;
        }
        return sets;
    }

    /// <summary>
    /// The tensor's whole texels (<see cref="Tensor.TexelCount"/>) as an RGBA32F buffer view, made once per
    /// sequence. The range is explicit: lavapipe 22.3 crashed (bus error) on views of VK_WHOLE_SIZE.
    /// </summary>
    private BufferView TexelView(Tensor tensor)
    {
        var key = (tensor.Buffer.Handle, tensor.OffsetBytes, (ulong)tensor.TexelCount * 16);
        if (_texelViews.TryGetValue(key, out var existing)) return existing;
        var info = new BufferViewCreateInfo
        {
            SType = StructureType.BufferViewCreateInfo,
            Buffer = tensor.Buffer,
            Format = Format.R32G32B32A32Sfloat,
            Offset = key.OffsetBytes,
            Range = key.Item3,
        };
        BufferView view;
        Vk.CreateBufferView(_gpu.Device, &info, null, &view).Check($"vkCreateBufferView({tensor})");
        return _texelViews[key] = view;
    }

    private static string SetKey(SequenceRecorder.DispatchCommand d)
        => d.Kernel.DescriptorSetLayout.Handle + ":" + string.Join(",", d.Buffers.Select(b => $"{b.Buffer.Handle}@{b.OffsetBytes}+{b.SizeBytes}"));

    private void CreateQueryPool()
    {
        if (!_gpu.Info.TimestampsOnComputeQueue) throw new VulkanException("This device's compute queue has no timestamps: profiling is unavailable.");
        var info = new QueryPoolCreateInfo
        {
            SType = StructureType.QueryPoolCreateInfo,
            QueryType = QueryType.Timestamp,
            QueryCount = (uint)_commands.Count + 1,
        };
        QueryPool pool;
        Vk.CreateQueryPool(_gpu.Device, &info, null, &pool).Check("vkCreateQueryPool");
        _queryPool = pool;
    }

    private void RecordCommandBuffer(Dictionary<string, DescriptorSet> sets)
    {
        _commandBuffer = _gpu.AllocateCommandBuffer();
        var begin = new CommandBufferBeginInfo
        {
            SType = StructureType.CommandBufferBeginInfo,
            Flags = CommandBufferUsageFlags.SimultaneousUseBit, // one submission may repeat it
        };
        var cb = _commandBuffer;
        Vk.BeginCommandBuffer(cb, &begin).Check("vkBeginCommandBuffer");
        Barrier(ComputeAndTransfer, AllWrites, ComputeAndTransfer, AllAccesses);
        if (_profile)
        {
            Vk.CmdResetQueryPool(cb, _queryPool, 0, (uint)_commands.Count + 1);
            Vk.CmdWriteTimestamp(cb, PipelineStageFlags.TopOfPipeBit, _queryPool, 0);
        }

        var written = new List<Tensor>();
        var read = new List<Tensor>();
        Pipeline boundPipeline = default;
        for (int i = 0; i < _commands.Count; i++)
        {
            var command = _commands[i];
            bool hazard = command.Reads.Concat(command.Writes).Any(t => written.Any(t.Overlaps)) || command.Writes.Any(t => read.Any(t.Overlaps));
            if (hazard || (_profile && i > 0))
            {
                Barrier(ComputeAndTransfer, AllWrites, ComputeAndTransfer, AllAccesses);
                written.Clear();
                read.Clear();
            }
            read.AddRange(command.Reads);
            written.AddRange(command.Writes);

            switch (command)
            {
                case SequenceRecorder.DispatchCommand d:
                    if (d.Kernel.Pipeline.Handle != boundPipeline.Handle)
                    {
                        Vk.CmdBindPipeline(cb, PipelineBindPoint.Compute, d.Kernel.Pipeline);
                        boundPipeline = d.Kernel.Pipeline;
                    }
                    var set = sets[SetKey(d)];
                    Vk.CmdBindDescriptorSets(cb, PipelineBindPoint.Compute, d.Kernel.PipelineLayout, 0, 1, &set, 0, null);
                    if (d.PushConstants.Length > 0)
                        fixed (byte* push = d.PushConstants)
                            Vk.CmdPushConstants(cb, d.Kernel.PipelineLayout, ShaderStageFlags.ComputeBit, 0, (uint)d.PushConstants.Length, push);
                    Vk.CmdDispatch(cb, d.GroupsX, d.GroupsY, d.GroupsZ);
                    break;
                case SequenceRecorder.CopyCommand c:
                    var region = new BufferCopy { SrcOffset = c.SourceOffset, DstOffset = c.DestinationOffset, Size = c.Size };
                    Vk.CmdCopyBuffer(cb, c.Source, c.Destination, 1, &region);
                    break;
                case SequenceRecorder.FillCommand f:
                    Vk.CmdFillBuffer(cb, f.Tensor.Buffer, f.Tensor.OffsetBytes, f.Tensor.SizeBytes, f.Value);
                    break;
            }
            if (_profile) Vk.CmdWriteTimestamp(cb, PipelineStageFlags.BottomOfPipeBit, _queryPool, (uint)i + 1);
        }
        Barrier(ComputeAndTransfer, AllWrites, PipelineStageFlags.HostBit, AccessFlags.HostReadBit);
        Vk.EndCommandBuffer(cb).Check("vkEndCommandBuffer");
        _gpu.Instance.ThrowIfValidationFailed();
    }

    private void Barrier(PipelineStageFlags srcStages, AccessFlags srcAccess, PipelineStageFlags dstStages, AccessFlags dstAccess)
    {
        var barrier = new MemoryBarrier { SType = StructureType.MemoryBarrier, SrcAccessMask = srcAccess, DstAccessMask = dstAccess };
        Vk.CmdPipelineBarrier(_commandBuffer, srcStages, dstStages, 0, 1, &barrier, 0, null, 0, null);
        BarrierCount++;
    }

    /// <summary>The work each command states, in recording order (the order of <see cref="CommandTimes"/>).</summary>
    public IReadOnlyList<CommandWork> CommandWork => _commands.Select(c => c.Work).ToArray();

    /// <summary>Per-command GPU time of the last completed submission (profiling sequences only).</summary>
    public IReadOnlyList<(string Label, double Milliseconds)> CommandTimes()
    {
        if (!_profile) throw new InvalidOperationException($"sequence {Name} was not recorded with profiling");
        var stamps = new ulong[_commands.Count + 1];
        fixed (ulong* p = stamps)
            Vk.GetQueryPoolResults(_gpu.Device, _queryPool, 0, (uint)stamps.Length, (nuint)(stamps.Length * 8), p, 8,
                QueryResultFlags.Result64Bit | QueryResultFlags.ResultWaitBit).Check("vkGetQueryPoolResults");
        double period = _gpu.Info.TimestampPeriodNanoseconds * 1e-6;
        // Signed: a command that ends before it starts (a broken timestamp) shows as a negative time instead of wrapping around.
        return _commands.Select((c, i) => (c.Label, ((long)stamps[i + 1] - (long)stamps[i]) * period)).ToArray();
    }

    public void Dispose()
    {
        if (_commandBuffer.Handle != 0) _gpu.FreeCommandBuffer(_commandBuffer);
        if (_descriptorPool.Handle != 0) Vk.DestroyDescriptorPool(_gpu.Device, _descriptorPool, null);
        if (_queryPool.Handle != 0) Vk.DestroyQueryPool(_gpu.Device, _queryPool, null);
        foreach (var view in _texelViews.Values) Vk.DestroyBufferView(_gpu.Device, view, null);
        _texelViews.Clear();
        _commandBuffer = default;
        _descriptorPool = default;
        _queryPool = default;
    }
}
