// Version, thread settings, device queries and the live-tensor counter.
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>
#include "common.h"

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

ATN_API int atn_set_num_threads(int n) {
  ATN_GUARD(-1, {
    at::set_num_threads(n);
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
