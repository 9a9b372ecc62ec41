// Autograd entry points: requires_grad, backward, .grad, grad mode.
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include "common.h"

using atn::T;

extern "C" {

ATN_API int atn_requires_grad(atn_tensor t) {
  ATN_GUARD(-1, { return T(t).requires_grad() ? 1 : 0; })
}

ATN_API int atn_set_requires_grad(atn_tensor t, int requires_grad) {
  ATN_GUARD(-1, {
    T(t).requires_grad_(requires_grad != 0);
    return 0;
  })
}

ATN_API int atn_is_leaf(atn_tensor t) {
  ATN_GUARD(-1, { return T(t).is_leaf() ? 1 : 0; })
}

ATN_API int atn_backward(atn_tensor t, atn_tensor grad, int retain_graph) {
  ATN_GUARD(-1, {
    T(t).backward(grad == nullptr ? at::Tensor() : T(grad), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt,
                  false);
    return 0;
  })
}

ATN_API int atn_grad(atn_tensor t, atn_tensor* out) {
  ATN_GUARD(-1, {
    const auto& g = T(t).grad();
    *out = g.defined() ? atn::wrap(g) : nullptr;
    return 0;
  })
}

ATN_API int atn_set_grad(atn_tensor t, atn_tensor grad) {
  ATN_GUARD(-1, {
    auto& x = T(t);
    if (grad == nullptr) {
      x.mutable_grad() = at::Tensor();
      return 0;
    }
    auto& g = T(grad);
    TORCH_CHECK(g.sizes() == x.sizes(), "assigned grad has shape ", g.sizes(), " but the tensor has ", x.sizes());
    TORCH_CHECK(g.scalar_type() == x.scalar_type(), "assigned grad has dtype ", g.scalar_type(),
                " but the tensor has ", x.scalar_type());
    TORCH_CHECK(g.device() == x.device(), "assigned grad is on ", g.device(), " but the tensor is on ", x.device());
    x.mutable_grad() = g;
    return 0;
  })
}

ATN_API int atn_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

ATN_API int atn_set_grad_enabled(int enabled) {
  const bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}
}
