// Tensor creation, metadata, host copies and storage aliases.
#include <ATen/ATen.h>
#include <cstring>
#include "common.h"

using atn::T;

extern "C" {

ATN_API void atn_free(atn_tensor t) {
  if (t == nullptr) return;
  delete static_cast<at::Tensor*>(t);
  atn::live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

ATN_API atn_tensor atn_from_data(const void* data, int dtype, const int64_t* dims, int ndim, int device_type,
                                 int device_index) {
  ATN_GUARD(nullptr, {
    auto cpu = at::empty(atn::dims_of(dims, ndim), at::TensorOptions().dtype(atn::scalar_type(dtype)));
    const auto nbytes = cpu.numel() * static_cast<int64_t>(cpu.element_size());
    if (nbytes > 0) {
      if (data == nullptr) throw std::invalid_argument("null data pointer");
      std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(nbytes));
    }
    if (device_type == ATN_DEVICE_CPU) return atn::wrap(std::move(cpu));
    return atn::wrap(cpu.to(atn::device_of(device_type, device_index)));
  })
}

ATN_API atn_tensor atn_fill(int kind, const int64_t* dims, int ndim, int dtype, int device_type, int device_index,
                            double value) {
  ATN_GUARD(nullptr, {
    auto shape = atn::dims_of(dims, ndim);
    auto opts = atn::options(dtype, device_type, device_index);
    switch (kind) {
      case 0: return atn::wrap(at::empty(shape, opts));
      case 1: return atn::wrap(at::zeros(shape, opts));
      case 2: return atn::wrap(at::ones(shape, opts));
      case 3: return atn::wrap(at::full(shape, value, opts));
    }
    throw std::invalid_argument("unknown fill kind " + std::to_string(kind));
  })
}

ATN_API atn_tensor atn_arange(int64_t start, int64_t end, int64_t step, int dtype, int device_type,
                              int device_index) {
  ATN_GUARD(nullptr, { return atn::wrap(at::arange(start, end, step, atn::options(dtype, device_type, device_index))); })
}

ATN_API atn_tensor atn_shallow_copy(atn_tensor t) {
  ATN_GUARD(nullptr, { return atn::wrap(T(t)); })
}

ATN_API int atn_dim(atn_tensor t) {
  ATN_GUARD(-1, { return static_cast<int>(T(t).dim()); })
}

ATN_API int atn_shape(atn_tensor t, int64_t* out, int cap) {
  ATN_GUARD(-1, {
    auto sizes = T(t).sizes();
    const int n = static_cast<int>(sizes.size());
    for (int i = 0; i < n && i < cap; ++i) out[i] = sizes[i];
    return n;
  })
}

ATN_API int atn_strides(atn_tensor t, int64_t* out, int cap) {
  ATN_GUARD(-1, {
    auto strides = T(t).strides();
    const int n = static_cast<int>(strides.size());
    for (int i = 0; i < n && i < cap; ++i) out[i] = strides[i];
    return n;
  })
}

ATN_API int64_t atn_numel(atn_tensor t) {
  ATN_GUARD(-1, { return T(t).numel(); })
}

ATN_API int atn_dtype(atn_tensor t) {
  ATN_GUARD(-1, { return atn::dtype_code(T(t).scalar_type()); })
}

ATN_API int atn_device(atn_tensor t, int* device_type, int* device_index) {
  ATN_GUARD(-1, {
    auto d = T(t).device();
    *device_type = d.is_cuda() ? ATN_DEVICE_CUDA : ATN_DEVICE_CPU;
    *device_index = d.has_index() ? d.index() : 0;
    return 0;
  })
}

ATN_API int atn_is_contiguous(atn_tensor t) {
  ATN_GUARD(-1, { return T(t).is_contiguous() ? 1 : 0; })
}

ATN_API void* atn_data_ptr(atn_tensor t) {
  ATN_GUARD(nullptr, {
    auto& x = T(t);
    TORCH_CHECK(x.device().is_cpu(), "data pointer requested for a tensor on ", x.device(),
                "; copy it to the host first");
    return x.data_ptr();
  })
}

ATN_API int atn_copy_to_host(atn_tensor t, void* dst, int64_t nbytes) {
  ATN_GUARD(-1, {
    auto src = T(t).detach().to(at::kCPU).contiguous();
    const int64_t need = src.numel() * static_cast<int64_t>(src.element_size());
    TORCH_CHECK(need == nbytes, "destination holds ", nbytes, " bytes but the tensor has ", need, " bytes (shape ",
                src.sizes(), ", ", src.scalar_type(), ")");
    if (need > 0) std::memcpy(dst, src.data_ptr(), static_cast<size_t>(need));
    return 0;
  })
}

ATN_API int atn_copy_from_host(atn_tensor t, const void* src, int64_t nbytes) {
  ATN_GUARD(-1, {
    auto& dst = T(t);
    const int64_t need = dst.numel() * static_cast<int64_t>(dst.element_size());
    TORCH_CHECK(need == nbytes, "source holds ", nbytes, " bytes but the tensor has ", need, " bytes (shape ",
                dst.sizes(), ", ", dst.scalar_type(), ")");
    if (need == 0) return 0;
    auto staged = at::from_blob(const_cast<void*>(src), dst.sizes(), at::TensorOptions().dtype(dst.scalar_type()));
    at::NoGradGuard no_grad;
    dst.copy_(staged);
    return 0;
  })
}

ATN_API atn_tensor atn_to(atn_tensor t, int dtype, int device_type, int device_index) {
  ATN_GUARD(nullptr, {
    return atn::wrap(T(t).to(atn::device_of(device_type, device_index), atn::scalar_type(dtype)));
  })
}

ATN_API int atn_item(atn_tensor t, double* out) {
  ATN_GUARD(-1, {
    *out = T(t).item<double>();
    return 0;
  })
}

ATN_API int atn_item_int64(atn_tensor t, int64_t* out) {
  ATN_GUARD(-1, {
    *out = T(t).item<int64_t>();
    return 0;
  })
}

ATN_API atn_tensor atn_alias_storage(atn_tensor base, int64_t offset, const int64_t* dims, int ndim) {
  ATN_GUARD(nullptr, {
    auto& b = T(base);
    auto shape = atn::dims_of(dims, ndim);
    std::vector<int64_t> strides(shape.size());
    int64_t stride = 1;
    for (int i = static_cast<int>(shape.size()) - 1; i >= 0; --i) {
      strides[i] = stride;
      stride *= shape[i];
    }
    const int64_t end = offset + stride;
    TORCH_CHECK(offset >= 0 && end <= b.numel() + b.storage_offset(), "alias [", offset, ", ", end,
                ") lies outside a storage of ", b.numel(), " elements");
    auto alias = at::empty({0}, b.options());
    // set_ binds a fresh tensor to the existing storage: no autograd view tracking, so the result can be a
    // leaf parameter (or a .grad) that shares memory with the flat buffer.
    at::NoGradGuard no_grad;
    alias.set_(b.storage(), offset, shape, strides);
    return atn::wrap(std::move(alias));
  })
}
}
