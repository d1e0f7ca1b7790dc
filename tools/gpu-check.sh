#!/usr/bin/env bash
# What to run on a real GPU in under 8 minutes: that the engine works there (the kernel tests
# against their CPU references, with the validation layer on) and how fast it is (vae tune, the
# bench suites, one epoch of fc-ae, fc-vae, conv-ae and conv-vae with s/epoch and peak device
# memory). Every step runs under `timeout` inside one overall deadline; a step that would start
# too late is skipped and says so.
#
#   bash tools/gpu-check.sh            run the check (writes $OUT, else ./gpu-check-out)
#   bash tools/gpu-check.sh bundle     on a development machine: make gpu-check-bundle.tar.xz
#
# A GPU machine without the .NET SDK, glslc or internet cannot build. The bundle (~45 MB; git
# ignores it) carries what it needs instead: a .NET runtime, the Release build with compiled
# shaders and the tests as an executable (NUnit's Microsoft.Testing.Platform runner, so no SDK is
# needed), MNIST, and Debian's Vulkan loader and validation layer. With the bundle in the
# repository root the check unpacks it and runs from it; with an SDK and glslc it builds from source.
#
# Output (few files, so that all of them can be copied back from a lent machine):
#   summary.txt   the machine, device, mode, each step's status, time and peak device memory,
#                 test counts, s/epoch of each model
#   steps.log     every step's full output, one section per step
#   metrics.csv   the epochs' metrics.csv rows, with the model in front
#   memory.csv    nvidia-smi's memory.used (MiB) sampled every 0.25 s, with the time
#
# Settings (environment): GPU_CHECK_BUDGET seconds for everything (default 470);
# GPU_CHECK_MODE source|bundle to choose the mode; GPU_CHECK_LIMIT N passes --limit N to the
# epochs and GPU_CHECK_TESTS a test filter, for trying the script out on a slow machine.
#
# The tests run through staging buffers on a discrete GPU: Gpu maps tensors directly only on
# CPU drivers and integrated GPUs (Gpu.UnifiedMemory), and StagedSequenceTests force staging
# (GpuOptions.ForceStaging) on any device; the summary states which path the device takes.
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUNDLE_FILE="$ROOT/gpu-check-bundle.tar.xz"
BUNDLE_DIR="$ROOT/gpu-check-bundle"
MODELS=(fc-ae fc-vae conv-ae conv-vae)
SUITES=(matmul conv memory roofline training)
TEST_FILTER="${GPU_CHECK_TESTS:-FullyQualifiedName~VulkanAE.Tests.Kernels|FullyQualifiedName~VulkanAE.Tests.Core|FullyQualifiedName~VulkanAE.Tests.Parity}"

# ------------------------------------------------------------------------------------------ bundle
make_bundle() {
    command -v dotnet >/dev/null || { echo "bundle: needs the .NET SDK (dotnet)"; exit 2; }
    local work dotnet_root
    work="$(mktemp -d)"
    dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    echo "bundle: building the Release tests as an executable in a copy of the working tree ..."
    mkdir -p "$work/src" "$work/bundle/app" "$work/bundle/dotnet" "$work/bundle/data" "$work/bundle/debs"
    git ls-files -co --exclude-standard -z | grep -zv '^data$' | xargs -0 cp -P --parents -t "$work/src" || exit 1
    (cd "$work/src" && dotnet build -c Release -p:TestsAsExecutable=true tests/VulkanAE.Tests) > "$work/build.log" 2>&1 \
        || { tail -30 "$work/build.log"; echo "bundle: the build failed"; exit 1; }
    # One folder serves both: the tests' output holds vae.dll, VulkanAE.dll and the shaders too.
    cp -r "$work/src/tests/VulkanAE.Tests/bin/Release/net10.0/." "$work/bundle/app/"
    (cd "$work/bundle/app" && rm -rf ./*.pdb cs de es fr it ja ko pl pt-BR ru tr zh-Hans zh-Hant)
    echo "bundle: the .NET runtime from $dotnet_root"
    (cd "$dotnet_root" && cp -r --parents dotnet host shared/Microsoft.NETCore.App "$work/bundle/dotnet/")
    cp -r "$ROOT/data/mnist" "$work/bundle/data/" || { echo "bundle: no data/mnist: run tools/setup.sh"; exit 1; }
    echo "bundle: Debian's Vulkan loader and validation layer (apt-get download) ..."
    # (apt-get warns that it downloads unsandboxed when run as root: harmless, so its output is kept out.)
    (cd "$work/bundle/debs" && apt-get download -q libvulkan1 vulkan-validationlayers >/dev/null 2>&1) \
        && [[ $(ls "$work/bundle/debs"/*.deb | wc -l) == 2 ]] || { echo "bundle: apt-get download failed"; exit 1; }
    echo "bundle: compressing ..."
    tar -C "$work/bundle" -cf - . | xz -T0 -6 > "$BUNDLE_FILE.partial" && mv "$BUNDLE_FILE.partial" "$BUNDLE_FILE"
    rm -rf "$work"
    echo "bundle: $BUNDLE_FILE ($(du -m "$BUNDLE_FILE" | cut -f1) MB). On the GPU machine, with it in the repository root:"
    echo "  bash tools/gpu-check.sh"
}

if [[ "${1:-}" == bundle ]]; then
    make_bundle
    exit
elif [[ $# -gt 0 ]]; then
    sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
fi

# ------------------------------------------------------------------------------------------ check
START=$(date +%s)
BUDGET=${GPU_CHECK_BUDGET:-470}
OUT_DIR="${OUT:-$ROOT/gpu-check-out}"
mkdir -p "$OUT_DIR"
SUMMARY="$OUT_DIR/summary.txt"
LOG="$OUT_DIR/steps.log"
MEMORY="$OUT_DIR/memory.csv"
METRICS="$OUT_DIR/metrics.csv"
WORK="$(mktemp -d)"
: > "$LOG"
: > "$METRICS"
NOTES=()
STEPS=()

note() { NOTES+=("$*"); echo "gpu-check: $*"; }
elapsed() { echo $(( $(date +%s) - START )); }

write_summary() {
    {
        echo "VulkanAE GPU check, $(date -u '+%Y-%m-%d %H:%M UTC'), $(elapsed) s of a $BUDGET s budget"
        echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
        echo "gpu: ${GPU_NAME:-none found by nvidia-smi}"
        echo "device used by vae: ${DEVICE:-unknown}"
        echo "memory path: ${MEMORY_PATH:-unknown}"
        echo "mode: ${MODE:-none}"
        echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
        echo
        for n in "${NOTES[@]}"; do echo "note: $n"; done
        echo
        printf '%-22s %-26s %8s %14s\n' step status seconds "peak MiB"
        for s in "${STEPS[@]}"; do echo "$s"; done
        if [[ -s "$METRICS" ]]; then
            echo
            echo "one epoch of each model (train loss, test loss, s/epoch as vae reports it; process wall time; peak device memory):"
            for s in "${EPOCHS[@]}"; do echo "$s"; done
        fi
        [[ -n "${TEST_RESULT:-}" ]] && { echo; echo "kernel tests: $TEST_RESULT"; }
    } > "$SUMMARY"
}

seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Peak memory.used (MiB) between two times, from the sampler's file; "-" without samples.
peak_between() {
    [[ -s "$MEMORY" ]] || { echo -; return; }
    awk -F, -v a="$1" -v b="$2" 'NR > 1 && $1 >= a && $1 <= b && $2 + 0 > m { m = $2 + 0; seen = 1 } END { print seen ? m : "-" }' "$MEMORY"
}

# step NAME CAP_SECONDS COMMAND...: runs COMMAND under timeout (CAP, or what is left of the budget),
# its output in steps.log; records status, seconds and peak device memory. Returns COMMAND's status.
step() {
    local name="$1" cap="$2"; shift 2
    local left=$(( BUDGET - $(elapsed) )) limit status rc t0 t1
    limit=$(( cap < left ? cap : left ))
    if (( limit < 10 )); then
        STEPS+=("$(printf '%-22s %-26s %8s %14s' "$name" "skipped: out of time" - -)")
        write_summary
        return 124
    fi
    echo "gpu-check: $name (up to $limit s)"
    { echo; echo "=== $name: $* (timeout $limit s)"; } >> "$LOG"
    t0=$(date +%s.%N)
    timeout -k 5 "$limit" "$@" > "$WORK/step.out" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    cat "$WORK/step.out" >> "$LOG"
    case $rc in
        0) status=ok ;;
        124|137) status="timed out after $limit s" ;;
        *) status="failed (exit $rc)" ;;
    esac
    STEPS+=("$(printf '%-22s %-26s %8.1f %14s' "$name" "$status" "$(seconds_between "$t0" "$t1")" "$(peak_between "$t0" "$t1")")")
    LAST_START=$t0 LAST_END=$t1
    write_summary
    return $rc
}

# ---------------------------------------------------------------------------- what the machine has
GPU_NAME=""
if command -v nvidia-smi >/dev/null; then
    GPU_NAME="$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)"
    echo "time,memory_used_mib" > "$MEMORY"
    ( while :; do
        echo "$(date +%s.%N),$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null | head -1)"
        sleep 0.25
      done >> "$MEMORY" ) &
    SAMPLER=$!
    trap 'kill "$SAMPLER" 2>/dev/null; rm -rf "$WORK"' EXIT
else
    note "nvidia-smi is missing: no GPU name and no device memory samples"
    : > "$MEMORY"
    trap 'rm -rf "$WORK"' EXIT
fi

# (grep without -q: it reads all of ldconfig's output, so pipefail sees no SIGPIPE.)
has_vulkan_loader() { ldconfig -p 2>/dev/null | grep 'libvulkan.so.1 ' >/dev/null; }
has_sdk() { command -v dotnet >/dev/null && [[ -n "$(dotnet --list-sdks 2>/dev/null)" ]]; }
MODE="${GPU_CHECK_MODE:-}"
if [[ -z "$MODE" ]]; then
    if has_sdk && command -v glslc >/dev/null && command -v cmake >/dev/null; then MODE=source
    elif [[ -f "$BUNDLE_FILE" || -d "$BUNDLE_DIR/app" ]]; then MODE=bundle
    else
        missing=()
        has_sdk || missing+=("the .NET 10 SDK (dotnet)")
        command -v glslc >/dev/null || missing+=("glslc (shaderc)")
        command -v cmake >/dev/null || missing+=("cmake")
        note "cannot build here: missing ${missing[*]}; and no gpu-check-bundle.tar.xz in $ROOT."
        note "make the bundle on a development machine with 'bash tools/gpu-check.sh bundle' and bring it here."
        write_summary
        exit 2
    fi
fi
echo "gpu-check: mode $MODE, writing $OUT_DIR"

if [[ "$MODE" == bundle ]]; then
    if [[ ! -d "$BUNDLE_DIR/app" ]]; then
        mkdir -p "$BUNDLE_DIR"
        step unpack-bundle 120 tar -C "$BUNDLE_DIR" -xJf "$BUNDLE_FILE" || { note "could not unpack $BUNDLE_FILE"; exit 1; }
    fi
    export DOTNET_ROOT="$BUNDLE_DIR/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1 VULKANAE_DATA="$BUNDLE_DIR/data"
    # Debian's packages go to a folder of their own, not to /, and are found through the environment.
    if [[ ! -d "$BUNDLE_DIR/root" ]]; then
        for deb in "$BUNDLE_DIR"/debs/*.deb; do dpkg-deb -x "$deb" "$BUNDLE_DIR/root" || note "could not unpack $deb"; done
    fi
    libs="$BUNDLE_DIR/root/usr/lib/x86_64-linux-gnu"
    if has_vulkan_loader; then
        export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$libs"
    else
        export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        note "no system Vulkan loader: using the bundle's libvulkan.so.1"
    fi
    export VK_ADD_LAYER_PATH="$BUNDLE_DIR/root/usr/share/vulkan/explicit_layer.d"
    VAE=("$DOTNET_ROOT/dotnet" "$BUNDLE_DIR/app/vae.dll")
    TESTS=("$DOTNET_ROOT/dotnet" "$BUNDLE_DIR/app/VulkanAE.Tests.dll" --filter "$TEST_FILTER" --no-ansi --no-progress)
else
    VAE=(dotnet "$ROOT/src/vae/bin/Release/net10.0/vae.dll")
    TESTS=(dotnet test "$ROOT/VulkanAE.sln" -c Release --no-build --filter "$TEST_FILTER")
fi

if ! has_vulkan_loader && [[ "$MODE" == source ]]; then
    note "no Vulkan loader (libvulkan.so.1): install libvulkan1, or use the bundle (GPU_CHECK_MODE=bundle)"
fi
# The NVIDIA driver's Vulkan manifest sometimes lives outside the loader's search path.
if [[ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]] && ! ls /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json >/dev/null 2>&1 \
    && [[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    note "VK_DRIVER_FILES=$VK_DRIVER_FILES (the NVIDIA manifest is not in the loader's default folders)"
fi
write_summary

# ---------------------------------------------------------------------------------------- steps
if [[ "$MODE" == source ]] && ! step build 240 dotnet build -c Release "$ROOT/VulkanAE.sln"; then
    note "the build failed (see steps.log); offline, a restore needs every NuGet package in ~/.nuget/packages: use the bundle"
    exit 1
fi

step devices 30 "${VAE[@]}" devices

step kernel-tests 200 "${TESTS[@]}"
TEST_RESULT="$(grep -E '^(Passed!|Failed!)|^Test run summary|total:|failed:|succeeded:|skipped:' "$WORK/step.out" | tr -s ' ' | tr '\n' ' ')"
write_summary

if "${VAE[@]}" --help 2>&1 | grep -E '^ +tune( |$)' >/dev/null; then
    step tune 60 "${VAE[@]}" tune
else
    note "vae has no tune command in this build: skipped"
fi

EPOCHS=()
limit_args=()
[[ -n "${GPU_CHECK_LIMIT:-}" ]] && limit_args=(--limit "$GPU_CHECK_LIMIT")
for model in "${MODELS[@]}"; do
    if step "epoch-$model" 90 "${VAE[@]}" train --model "$model" --epochs 1 "${limit_args[@]}" --out "$WORK/runs/$model"; then
        if [[ -z "${DEVICE:-}" ]]; then
            DEVICE="$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/step.out" | tr '\n' ' ' | tr -s ' ' | sed -n 's/.* with \(.*\): [0-9]* epochs\{0,1\} of.*/\1/p')"
            case "$DEVICE" in
                *llvmpipe*|*lavapipe*) MEMORY_PATH="tensors mapped directly (a CPU driver's unified memory); only StagedSequenceTests run staging"
                    note "vae ran on a CPU driver: no GPU device was found" ;;
                *) [[ -n "$GPU_NAME" ]] && MEMORY_PATH="staging buffers for every upload and download (a discrete GPU): every GPU test runs the staging path" ;;
            esac
        fi
        wall="$(seconds_between "$LAST_START" "$LAST_END")"
        row="$(tail -1 "$WORK/runs/$model/metrics.csv")"
        header="$(head -1 "$WORK/runs/$model/metrics.csv")"
        [[ -s "$METRICS" ]] || echo "model,$header" > "$METRICS"
        echo "$model,$row" >> "$METRICS"
        seconds="$(awk -F, -v h="$header" 'BEGIN { n = split(h, names, ",") } { for (i = 1; i <= n; i++) v[names[i]] = $i }
            END { printf "train %s  test %s  %s s/epoch", v["train_loss"], v["test_loss"], v["seconds"] }' <<< "$row")"
        EPOCHS+=("$(printf '  %-9s %s  (process %.1f s, peak %s MiB)' "$model" "$seconds" "$wall" "$(peak_between "$LAST_START" "$LAST_END")")")
    else
        EPOCHS+=("$(printf '  %-9s no result: see steps.log' "$model")")
    fi
    write_summary
done

# The suites this build offers, as its --help lists them (<conv|matmul|...>), in SUITES' order, then any others.
offered="|$("${VAE[@]}" bench --help 2>&1 | sed -n 's/.*--suite <\([^>]*\)>.*/\1/p')|"
for suite in "${SUITES[@]}"; do
    [[ "$offered" == *"|$suite|"* ]] || note "vae bench has no '$suite' suite in this build: skipped"
done
for suite in $(tr '|' '\n' <<< "$offered"); do
    [[ " ${SUITES[*]} " == *" $suite "* ]] || SUITES+=("$suite")
done
for suite in "${SUITES[@]}"; do
    [[ "$offered" == *"|$suite|"* ]] || continue
    model_args=()
    [[ "$suite" == training ]] && model_args=(--model conv-vae --epochs 0) # the step profile; epochs are timed above
    step "bench-$suite" 90 "${VAE[@]}" bench --suite "$suite" --repeats 10 "${model_args[@]}"
done

if [[ -s "$MEMORY" ]]; then
    note "device memory before the first step: $(awk -F, 'NR == 2 { print $2 }' "$MEMORY") MiB; peak over the check: $(awk -F, 'NR > 1 && $2 + 0 > m { m = $2 + 0 } END { print m }' "$MEMORY") MiB (nvidia-smi memory.used, all processes)"
fi
write_summary
echo
cat "$SUMMARY"
