#!/usr/bin/env bash
# Installs the Debian packages Tessera needs to build, test and demo, and nothing else.
# Idempotent and quiet: when every package is present it does nothing (not even apt-get update).
# Debian's archive is the only download source.
set -euo pipefail

packages=(
  g++ make cmake ninja-build pkg-config git
  openmpi-bin libopenmpi-dev                  # MPI
  libhdf5-openmpi-dev hdf5-tools              # parallel HDF5 (MPI-IO) and h5dump
  libboost-program-options-dev                # the CLI
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and micro-benchmarks
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf  # guest programs (rv32im)
  qemu-user                                   # qemu-riscv32: the executor's reference oracle
  slurm-wlm munge                             # the local Slurm cluster for the slurm tests
  clang-format                                # make format-check
  python3
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
