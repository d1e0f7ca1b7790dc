using VulkanAE.Vulkan;

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
    private const uint ComputeAndTransfer = Vk.PIPELINE_STAGE_COMPUTE_SHADER_BIT | Vk.PIPELINE_STAGE_TRANSFER_BIT;
    private const uint AllWrites = Vk.ACCESS_SHADER_WRITE_BIT | Vk.ACCESS_TRANSFER_WRITE_BIT;
    private const uint AllAccesses = AllWrites | Vk.ACCESS_SHADER_READ_BIT | Vk.ACCESS_TRANSFER_READ_BIT;

    private readonly Gpu _gpu;
    private readonly List<SequenceRecorder.Command> _commands;
    private readonly bool _profile;
    private ulong _descriptorPool;
    private ulong _queryPool;
    private nint _commandBuffer;

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
    private Dictionary<string, ulong> AllocateDescriptorSets()
    {
        var distinct = new Dictionary<string, SequenceRecorder.DispatchCommand>();
        foreach (var dispatch in _commands.OfType<SequenceRecorder.DispatchCommand>())
            distinct.TryAdd(SetKey(dispatch), dispatch);
        var sets = new Dictionary<string, ulong>();
        if (distinct.Count == 0) return sets;

        var poolSize = new VkDescriptorPoolSize
        {
            type = Vk.DESCRIPTOR_TYPE_STORAGE_BUFFER,
            descriptorCount = (uint)Math.Max(1, distinct.Values.Sum(d => d.Buffers.Length)),
        };
        var poolInfo = new VkDescriptorPoolCreateInfo
        {
            sType = VkStructureType.DescriptorPoolCreateInfo,
            maxSets = (uint)distinct.Count,
            poolSizeCount = 1,
            pPoolSizes = &poolSize,
        };
        ulong pool;
        Vk.Check(Vk.vkCreateDescriptorPool(_gpu.Device, &poolInfo, null, &pool), "vkCreateDescriptorPool");
        _descriptorPool = pool;

        foreach (var (key, dispatch) in distinct)
        {
            var layout = dispatch.Kernel.DescriptorSetLayout;
            var allocateInfo = new VkDescriptorSetAllocateInfo
            {
                sType = VkStructureType.DescriptorSetAllocateInfo,
                descriptorPool = pool,
                descriptorSetCount = 1,
                pSetLayouts = &layout,
            };
            ulong set;
            Vk.Check(Vk.vkAllocateDescriptorSets(_gpu.Device, &allocateInfo, &set), "vkAllocateDescriptorSets");
            int n = dispatch.Buffers.Length;
            var infos = new VkDescriptorBufferInfo[n];
            var writes = new VkWriteDescriptorSet[n];
            for (int i = 0; i < n; i++)
            {
                infos[i] = new VkDescriptorBufferInfo { buffer = dispatch.Buffers[i].Buffer, offset = 0, range = dispatch.Buffers[i].SizeBytes };
                writes[i] = new VkWriteDescriptorSet
                {
                    sType = VkStructureType.WriteDescriptorSet,
                    dstSet = set,
                    dstBinding = (uint)i,
                    descriptorCount = 1,
                    descriptorType = Vk.DESCRIPTOR_TYPE_STORAGE_BUFFER,
                };
            }
            fixed (VkDescriptorBufferInfo* pInfos = infos)
            fixed (VkWriteDescriptorSet* pWrites = writes)
            {
                for (int i = 0; i < n; i++) pWrites[i].pBufferInfo = &pInfos[i];
                Vk.vkUpdateDescriptorSets(_gpu.Device, (uint)n, pWrites, 0, null);
            }
            sets[key] = set;
        }
        return sets;
    }

    private static string SetKey(SequenceRecorder.DispatchCommand d)
        => d.Kernel.DescriptorSetLayout + ":" + string.Join(",", d.Buffers.Select(b => b.Buffer));

    private void CreateQueryPool()
    {
        if (!_gpu.Info.TimestampsOnComputeQueue) throw new VulkanException("This device's compute queue has no timestamps: profiling is unavailable.");
        var info = new VkQueryPoolCreateInfo
        {
            sType = VkStructureType.QueryPoolCreateInfo,
            queryType = Vk.QUERY_TYPE_TIMESTAMP,
            queryCount = (uint)_commands.Count + 1,
        };
        ulong pool;
        Vk.Check(Vk.vkCreateQueryPool(_gpu.Device, &info, null, &pool), "vkCreateQueryPool");
        _queryPool = pool;
    }

    private void RecordCommandBuffer(Dictionary<string, ulong> sets)
    {
        _commandBuffer = _gpu.AllocateCommandBuffer();
        var begin = new VkCommandBufferBeginInfo
        {
            sType = VkStructureType.CommandBufferBeginInfo,
            flags = Vk.COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT, // one submission may repeat it
        };
        var cb = _commandBuffer;
        Vk.Check(Vk.vkBeginCommandBuffer(cb, &begin), "vkBeginCommandBuffer");
        Barrier(ComputeAndTransfer, AllWrites, ComputeAndTransfer, AllAccesses);
        if (_profile)
        {
            Vk.vkCmdResetQueryPool(cb, _queryPool, 0, (uint)_commands.Count + 1);
            Vk.vkCmdWriteTimestamp(cb, Vk.PIPELINE_STAGE_TOP_OF_PIPE_BIT, _queryPool, 0);
        }

        var written = new HashSet<Tensor>();
        var read = new HashSet<Tensor>();
        ulong boundPipeline = 0;
        for (int i = 0; i < _commands.Count; i++)
        {
            var command = _commands[i];
            bool hazard = command.Reads.Concat(command.Writes).Any(written.Contains) || command.Writes.Any(read.Contains);
            if (hazard || (_profile && i > 0))
            {
                Barrier(ComputeAndTransfer, AllWrites, ComputeAndTransfer, AllAccesses);
                written.Clear();
                read.Clear();
            }
            read.UnionWith(command.Reads);
            written.UnionWith(command.Writes);

            switch (command)
            {
                case SequenceRecorder.DispatchCommand d:
                    if (d.Kernel.Pipeline != boundPipeline)
                    {
                        Vk.vkCmdBindPipeline(cb, Vk.PIPELINE_BIND_POINT_COMPUTE, d.Kernel.Pipeline);
                        boundPipeline = d.Kernel.Pipeline;
                    }
                    var set = sets[SetKey(d)];
                    Vk.vkCmdBindDescriptorSets(cb, Vk.PIPELINE_BIND_POINT_COMPUTE, d.Kernel.PipelineLayout, 0, 1, &set, 0, null);
                    if (d.PushConstants.Length > 0)
                        fixed (byte* push = d.PushConstants)
                            Vk.vkCmdPushConstants(cb, d.Kernel.PipelineLayout, Vk.SHADER_STAGE_COMPUTE_BIT, 0, (uint)d.PushConstants.Length, push);
                    Vk.vkCmdDispatch(cb, d.GroupsX, d.GroupsY, d.GroupsZ);
                    break;
                case SequenceRecorder.CopyCommand c:
                    var region = new VkBufferCopy { srcOffset = c.SourceOffset, dstOffset = c.DestinationOffset, size = c.Size };
                    Vk.vkCmdCopyBuffer(cb, c.Source, c.Destination, 1, &region);
                    break;
                case SequenceRecorder.FillCommand f:
                    Vk.vkCmdFillBuffer(cb, f.Tensor.Buffer, 0, f.Tensor.SizeBytes, f.Value);
                    break;
            }
            if (_profile) Vk.vkCmdWriteTimestamp(cb, Vk.PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, _queryPool, (uint)i + 1);
        }
        Barrier(ComputeAndTransfer, AllWrites, Vk.PIPELINE_STAGE_HOST_BIT, Vk.ACCESS_HOST_READ_BIT);
        Vk.Check(Vk.vkEndCommandBuffer(cb), "vkEndCommandBuffer");
        _gpu.Instance.ThrowIfValidationFailed();
    }

    private void Barrier(uint srcStages, uint srcAccess, uint dstStages, uint dstAccess)
    {
        var barrier = new VkMemoryBarrier { sType = VkStructureType.MemoryBarrier, srcAccessMask = srcAccess, dstAccessMask = dstAccess };
        Vk.vkCmdPipelineBarrier(_commandBuffer, srcStages, dstStages, 0, 1, &barrier, 0, null, 0, null);
        BarrierCount++;
    }

    /// <summary>Per-command GPU time of the last completed submission (profiling sequences only).</summary>
    public IReadOnlyList<(string Label, double Milliseconds)> CommandTimes()
    {
        if (!_profile) throw new InvalidOperationException($"sequence {Name} was not recorded with profiling");
        var stamps = new ulong[_commands.Count + 1];
        fixed (ulong* p = stamps)
            Vk.Check(Vk.vkGetQueryPoolResults(_gpu.Device, _queryPool, 0, (uint)stamps.Length, (nuint)(stamps.Length * 8), p, 8,
                Vk.QUERY_RESULT_64_BIT | Vk.QUERY_RESULT_WAIT_BIT), "vkGetQueryPoolResults");
        double period = _gpu.Info.TimestampPeriodNanoseconds * 1e-6;
        return _commands.Select((c, i) => (c.Label, (stamps[i + 1] - stamps[i]) * period)).ToArray();
    }

    public void Dispose()
    {
        if (_commandBuffer != 0) _gpu.FreeCommandBuffer(_commandBuffer);
        if (_descriptorPool != 0) Vk.vkDestroyDescriptorPool(_gpu.Device, _descriptorPool, null);
        if (_queryPool != 0) Vk.vkDestroyQueryPool(_gpu.Device, _queryPool, null);
        _commandBuffer = 0;
        _descriptorPool = _queryPool = 0;
    }
}
