// Explicit, seedable generators whose state can be saved and restored as bytes.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <cstring>
#include "common.h"

using atn::T;

namespace {
at::Generator& G(atn_generator g) {
  if (g == nullptr) throw std::invalid_argument("null generator handle");
  return *static_cast<at::Generator*>(g);
}

// Draws on the (CPU) generator into a CPU tensor of the given shape and dtype.
at::Tensor draw(int kind, at::Generator& gen, at::IntArrayRef shape, c10::ScalarType st, double a, double b) {
  at::NoGradGuard no_grad;
  switch (kind) {
    case 0: return at::empty(shape, at::TensorOptions().dtype(st)).uniform_(a, b, gen);
    case 1: return at::empty(shape, at::TensorOptions().dtype(st)).normal_(a, b, gen);
    case 2:
      return at::randint(static_cast<int64_t>(a), static_cast<int64_t>(b), shape, gen, at::TensorOptions().dtype(st));
    case 3: return at::empty(shape, at::TensorOptions().dtype(st)).bernoulli_(a, gen);
  }
  throw std::invalid_argument("unknown random kind " + std::to_string(kind));
}
}  // namespace

extern "C" {

ATN_API atn_generator atn_generator_new(uint64_t seed) {
  ATN_GUARD(nullptr, { return new at::Generator(at::detail::createCPUGenerator(seed)); })
}

ATN_API void atn_generator_free(atn_generator g) { delete static_cast<at::Generator*>(g); }

ATN_API int atn_generator_set_seed(atn_generator g, uint64_t seed) {
  ATN_GUARD(-1, {
    std::lock_guard<std::mutex> lock(G(g).mutex());
    G(g).set_current_seed(seed);
    return 0;
  })
}

ATN_API int64_t atn_generator_get_state(atn_generator g, uint8_t* buf, int64_t cap) {
  ATN_GUARD(-1, {
    at::Tensor state;
    {
      std::lock_guard<std::mutex> lock(G(g).mutex());
      state = G(g).get_state();
    }
    const int64_t n = state.numel();
    if (buf != nullptr && cap >= n) std::memcpy(buf, state.data_ptr(), static_cast<size_t>(n));
    return n;
  })
}

ATN_API int atn_generator_set_state(atn_generator g, const uint8_t* buf, int64_t len) {
  ATN_GUARD(-1, {
    auto state = at::empty({len}, at::TensorOptions().dtype(at::kByte));
    if (len > 0) std::memcpy(state.data_ptr(), buf, static_cast<size_t>(len));
    std::lock_guard<std::mutex> lock(G(g).mutex());
    G(g).set_state(state);
    return 0;
  })
}

ATN_API atn_tensor atn_random(int kind, atn_generator g, const int64_t* dims, int ndim, int dtype, int device_type,
                              int device_index, double a, double b) {
  ATN_GUARD(nullptr, {
    // ATen's CPU sampling kernels lock the generator's mutex themselves.
    auto& gen = G(g);
    auto cpu = draw(kind, gen, atn::dims_of(dims, ndim), atn::scalar_type(dtype), a, b);
    if (device_type == ATN_DEVICE_CPU) return atn::wrap(std::move(cpu));
    return atn::wrap(cpu.to(atn::device_of(device_type, device_index)));
  })
}

ATN_API int atn_random_(int kind, atn_tensor t, atn_generator g, double a, double b) {
  ATN_GUARD(-1, {
    auto& x = T(t);
    auto& gen = G(g);
    // Draw on the CPU so a given seed yields the same values on every device.
    auto values = draw(kind, gen, x.sizes(), x.scalar_type(), a, b);
    at::NoGradGuard no_grad;
    x.copy_(values);
    return 0;
  })
}

ATN_API atn_tensor atn_randperm(int64_t n, atn_generator g) {
  ATN_GUARD(nullptr, {
    auto& gen = G(g);
    return atn::wrap(at::randperm(n, gen, at::TensorOptions().dtype(at::kLong)));
  })
}
}
