// Version, thread settings, device queries and the live-tensor counter.
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>
#include "common.h"
#include <dlfcn.h>
#include <malloc.h>
#include <cstdlib>
#include <cstring>

namespace atn {
std::atomic<int64_t> live_tensors{0};
}

extern "C" {

ATN_API int atn_torch_version(int* major, int* minor, int* patch) {
  *major = TORCH_VERSION_MAJOR;
  *minor = TORCH_VERSION_MINOR;
  *patch = TORCH_VERSION_PATCH;
  return 0;
}

ATN_API int64_t atn_live_tensors(void) { return atn::live_tensors.load(std::memory_order_relaxed); }

namespace {
// at::set_num_threads sets OpenMP's (and MKL's) thread count, not OpenBLAS's: Debian's libtorch calls an OpenBLAS
// built with its own pthreads, which otherwise starts one thread per core in every process. Look the setter up in
// whichever BLAS is loaded (none found: not OpenBLAS, nothing to do).
using BlasSetThreads = void (*)(int);
using BlasGetThreads = int (*)();
void* find_openblas(const char* symbol) {
  for (const char* name : {"libopenblas.so.0", "libblas.so.3"}) {
    if (void* handle = dlopen(name, RTLD_LAZY | RTLD_NOLOAD)) {
      void* found = dlsym(handle, symbol);
      dlclose(handle);  // RTLD_NOLOAD took a reference to the already loaded library; it stays loaded
      if (found != nullptr) return found;
    }
  }
  return dlsym(RTLD_DEFAULT, symbol);
}
BlasSetThreads find_openblas_set_num_threads() {
  return reinterpret_cast<BlasSetThreads>(find_openblas("openblas_set_num_threads"));
}
}  // namespace

// Keeps freed tensor memory in the process for the next step. A rank computes on a .NET worker thread, so glibc
// serves libtorch's allocations from a per-thread arena whose 64 MiB heaps it shrinks (MADV_DONTNEED) or unmaps
// whenever their top is free, and it mmaps allocations above a threshold that only grows step by step: every step
// then page-faults and zero-fills its activations again. Measured (bench train, gpt-bench, batch 16, 1 thread):
// forward 290-313 ms and 263-283 K page faults per run before, 175 ms and 110 K after (PyTorch's main-thread
// forward: 185-200 ms). Chunks up to 32 MiB (glibc's maximum) come from the arenas, and a heap's free top is given
// back only past 1 GiB. glibc still unmaps an arena's extra heaps once wholly free, so a step whose activations
// overflow one 64 MiB heap still faults on part of them (a caching CPU allocator would remove that; not done).
// Left alone when the user tuned malloc through GLIBC_TUNABLES.
__attribute__((constructor)) void keep_freed_tensor_memory() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return;
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

// OpenBLAS's thread count, or -1 when the BLAS libtorch uses is not OpenBLAS.
ATN_API int atn_get_blas_num_threads(void) {
  static const auto get = reinterpret_cast<BlasGetThreads>(find_openblas("openblas_get_num_threads"));
  return get != nullptr ? get() : -1;
}

ATN_API int atn_set_num_threads(int n) {
  ATN_GUARD(-1, {
    at::set_num_threads(n);
    static const BlasSetThreads openblas = find_openblas_set_num_threads();
    if (openblas != nullptr) openblas(n);
    return 0;
  })
}

ATN_API int atn_get_num_threads(void) { return at::get_num_threads(); }

ATN_API int atn_set_num_interop_threads(int n) {
  ATN_GUARD(-1, {
    at::set_num_interop_threads(n);
    return 0;
  })
}

ATN_API int atn_cuda_is_available(void) {
  ATN_GUARD(0, { return at::globalContext().hasCUDA() && at::detail::getCUDAHooks().getNumGPUs() > 0 ? 1 : 0; })
}

ATN_API int atn_cuda_device_count(void) {
  ATN_GUARD(0, { return at::globalContext().hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0; })
}

ATN_API int atn_manual_seed(uint64_t seed) {
  ATN_GUARD(-1, {
    at::manual_seed(seed);
    return 0;
  })
}
}
