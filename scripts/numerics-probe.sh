#!/usr/bin/env bash
# Issue 19 spike: run dev.paddy.bench.NumericsProbe in a fresh JVM per numeric setting and print
# params sha / predictions sha / seconds. Needs the bench classes and a class path first:
#   nice -n 10 mvn -B -q -o -Pbench test-compile -pl paddy-maven-plugin -am
#   (cd paddy-maven-plugin && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test)
# Usage: scripts/numerics-probe.sh [steps] [input size]
set -euo pipefail
cd "$(dirname "$0")/../paddy-maven-plugin"
STEPS=${1:-30}
SIZE=${2:-64}
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
run() { # label, then env assignments and -D options
  local label=$1; shift
  local envs=() props=()
  for a in "$@"; do
    case $a in -D*) props+=("$a");; *) envs+=("$a");; esac
  done
  printf '%-58s ' "$label"
  env ${envs[@]+"${envs[@]}"} nice -n 10 java ${props[@]+"${props[@]}"} -cp "$CP" dev.paddy.bench.NumericsProbe "$STEPS" "$SIZE" 2>/dev/null \
    | grep '^params='
}
case ${PROBE_SET:-all} in
  base|all)
    run "default"                                   
    run "default (again)"                            ;;&
  isa|all)
    run "ONEDNN_MAX_CPU_ISA=AVX2"                    ONEDNN_MAX_CPU_ISA=AVX2
    run "ATEN_CPU_CAPABILITY=avx2"                   ATEN_CPU_CAPABILITY=avx2
    run "ONEDNN=AVX2 ATEN=avx2"                      ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2
    run "ONEDNN=AVX2 ATEN=avx2 MKL_CBWR=AVX2"        ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=AVX2
    run "ONEDNN=AVX2 ATEN=avx2 MKL_CBWR=COMPATIBLE"  ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=COMPATIBLE ;;&
  threads|all)
    run "num_threads=1"                              -Dai.djl.pytorch.num_threads=1
    run "num_threads=2"                              -Dai.djl.pytorch.num_threads=2
    run "OMP_NUM_THREADS=1"                          OMP_NUM_THREADS=1
    run "ONEDNN=AVX2 ATEN=avx2 threads=1"            ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
    run "ONEDNN=AVX2 ATEN=avx2 threads=2"            ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 ;;&
  portable|all)
    run "threads=1 (no caps)"                        -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
    run "ATEN=default threads=1"                     ATEN_CPU_CAPABILITY=default -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
    run "ONEDNN=AVX2 ATEN=avx2 MKL_CBWR=AVX2 threads=1"  ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=AVX2 -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
    run "ONEDNN=AVX2 ATEN=avx2 MKL_CBWR=COMPATIBLE threads=1"  ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=COMPATIBLE -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 ;;
esac
