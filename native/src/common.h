// Internal helpers shared by the shim's translation units: exception guard, handle wrapping, dtype/device
// mapping. Every exported function body is wrapped in ATN_GUARD so no C++ exception crosses the C ABI.
#pragma once

#include <ATen/core/Tensor.h>
#include <ATen/core/Generator.h>
#include <c10/util/Exception.h>
#include <c10/core/ScalarType.h>
#include <c10/core/Device.h>
#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "actortrain_native.h"

namespace atn {

void set_error(const char* message);
extern std::atomic<int64_t> live_tensors;

// Owned heap tensor -> handle; counts every handle handed out.
inline atn_tensor wrap(at::Tensor t) {
  auto* p = new at::Tensor(std::move(t));
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return p;
}

inline at::Tensor& T(atn_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return *static_cast<at::Tensor*>(h);
}

inline c10::optional<at::Tensor> opt(atn_tensor h) {
  if (h == nullptr) return c10::nullopt;
  return *static_cast<at::Tensor*>(h);
}

inline at::IntArrayRef dims_of(const int64_t* dims, int ndim) {
  if (ndim < 0) throw std::invalid_argument("negative rank");
  if (ndim > 0 && dims == nullptr) throw std::invalid_argument("null shape pointer");
  return at::IntArrayRef(dims, static_cast<size_t>(ndim));
}

inline c10::ScalarType scalar_type(int dtype) {
  switch (dtype) {
    case ATN_DTYPE_FLOAT32: return c10::ScalarType::Float;
    case ATN_DTYPE_FLOAT64: return c10::ScalarType::Double;
    case ATN_DTYPE_BFLOAT16: return c10::ScalarType::BFloat16;
    case ATN_DTYPE_INT64: return c10::ScalarType::Long;
    case ATN_DTYPE_FLOAT16: return c10::ScalarType::Half;
    case ATN_DTYPE_INT32: return c10::ScalarType::Int;
    case ATN_DTYPE_BOOL: return c10::ScalarType::Bool;
    case ATN_DTYPE_UINT8: return c10::ScalarType::Byte;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

inline int dtype_code(c10::ScalarType st) {
  switch (st) {
    case c10::ScalarType::Float: return ATN_DTYPE_FLOAT32;
    case c10::ScalarType::Double: return ATN_DTYPE_FLOAT64;
    case c10::ScalarType::BFloat16: return ATN_DTYPE_BFLOAT16;
    case c10::ScalarType::Long: return ATN_DTYPE_INT64;
    case c10::ScalarType::Half: return ATN_DTYPE_FLOAT16;
    case c10::ScalarType::Int: return ATN_DTYPE_INT32;
    case c10::ScalarType::Bool: return ATN_DTYPE_BOOL;
    case c10::ScalarType::Byte: return ATN_DTYPE_UINT8;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(st));
  }
}

inline c10::Device device_of(int type, int index) {
  switch (type) {
    case ATN_DEVICE_CPU: return c10::Device(c10::DeviceType::CPU);
    case ATN_DEVICE_CUDA: return c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw std::invalid_argument("unknown device type " + std::to_string(type));
}

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device_of(device_type, device_index));
}

}  // namespace atn

#define ATN_GUARD(failure, ...)                                             \
  try {                                                                      \
    __VA_ARGS__                                                              \
  } catch (const c10::Error& e) {                                            \
    atn::set_error(e.what_without_backtrace());                              \
    return failure;                                                          \
  } catch (const std::exception& e) {                                        \
    atn::set_error(e.what());                                                \
    return failure;                                                          \
  } catch (...) {                                                            \
    atn::set_error("unknown C++ exception in libtorch shim");                \
    return failure;                                                          \
  }
