// Neural-network building blocks (the same ATen kernels torch.nn.functional calls).
#include <ATen/ATen.h>
#include <cmath>
#include "common.h"

using atn::T;
using atn::wrap;

namespace {
at::Generator* gen_of(atn_generator g) { return g == nullptr ? nullptr : static_cast<at::Generator*>(g); }
}  // namespace

extern "C" {

ATN_API atn_tensor atn_linear(atn_tensor x, atn_tensor w, atn_tensor b) {
  ATN_GUARD(nullptr, { return wrap(at::linear(T(x), T(w), atn::opt(b))); })
}

ATN_API atn_tensor atn_embedding(atn_tensor weight, atn_tensor indices) {
  ATN_GUARD(nullptr, {
    auto& idx = T(indices);
    TORCH_CHECK(idx.scalar_type() == at::kLong || idx.scalar_type() == at::kInt,
                "embedding indices must be int64 or int32, got ", idx.scalar_type());
    return wrap(at::embedding(T(weight), idx));
  })
}

ATN_API atn_tensor atn_layer_norm(atn_tensor x, const int64_t* normalized_shape, int ndim, atn_tensor w,
                                  atn_tensor b, double eps) {
  ATN_GUARD(nullptr, {
    return wrap(at::layer_norm(T(x), atn::dims_of(normalized_shape, ndim), atn::opt(w), atn::opt(b), eps));
  })
}

ATN_API atn_tensor atn_gelu(atn_tensor x, int tanh_approximation) {
  ATN_GUARD(nullptr, { return wrap(at::gelu(T(x), tanh_approximation ? "tanh" : "none")); })
}

ATN_API atn_tensor atn_dropout(atn_tensor x, double p, int train, atn_generator g) {
  ATN_GUARD(nullptr, {
    auto& input = T(x);
    TORCH_CHECK(p >= 0.0 && p <= 1.0, "dropout probability has to be between 0 and 1, but got ", p);
    if (!train || p == 0.0) return wrap(input);
    if (p == 1.0) return wrap(input * 0.0);
    auto* gen = gen_of(g);
    if (gen == nullptr) return wrap(at::dropout(input, p, true));
    // Explicit generator: draw the keep-mask on the CPU generator (device-independent), scale by 1/(1-p).
    at::Tensor mask;
    {
      at::NoGradGuard no_grad;
      mask = at::empty(input.sizes(), input.options().device(at::kCPU)).bernoulli_(1.0 - p, *gen);
      mask = mask.to(input.device()).div_(1.0 - p);
    }
    return wrap(input * mask);
  })
}

ATN_API atn_tensor atn_cross_entropy(atn_tensor logits, atn_tensor targets, int64_t ignore_index, int reduction,
                                     double label_smoothing) {
  ATN_GUARD(nullptr, {
    TORCH_CHECK(reduction >= 0 && reduction <= 2, "unknown reduction code ", reduction);
    const int64_t red = reduction == 0 ? at::Reduction::None
                                       : (reduction == 1 ? at::Reduction::Mean : at::Reduction::Sum);
    return wrap(at::cross_entropy_loss(T(logits), T(targets), c10::nullopt, red, ignore_index, label_smoothing));
  })
}

ATN_API atn_tensor atn_attention(atn_tensor q, atn_tensor k, atn_tensor v, atn_tensor additive_mask, double scale) {
  ATN_GUARD(nullptr, {
    auto& query = T(q);
    const int64_t t_q = query.size(-2), t_k = T(k).size(-2);
    auto att = at::matmul(query, T(k).transpose(-2, -1)) * scale;
    if (additive_mask != nullptr) att = att + T(additive_mask).narrow(0, 0, t_q).narrow(1, 0, t_k);
    return wrap(at::matmul(att.softmax(-1), T(v)));
  })
}
}
