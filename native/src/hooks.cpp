// "Gradient accumulated" callbacks per parameter, the hook DDP uses to start bucket syncs during backward.
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>
#include "common.h"

using atn::T;

namespace {
struct GradReadyHook final : torch::autograd::FunctionPostHook {
  GradReadyHook(atn_grad_ready_fn fn, int64_t tag) : fn_(fn), tag_(tag) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list& /*inputs*/) override {
    fn_(tag_);
    return outputs;
  }
  atn_grad_ready_fn fn_;
  int64_t tag_;
};

// Owns the accumulator: the variable only holds it weakly, and a new accumulator (without our hook) would be
// created once the graph released the old one.
struct HookRegistration {
  std::shared_ptr<torch::autograd::Node> accumulator;
  uintptr_t key;
};
}  // namespace

extern "C" {

ATN_API atn_hook atn_register_grad_ready_hook(atn_tensor t, atn_grad_ready_fn fn, int64_t tag) {
  ATN_GUARD(nullptr, {
    auto& x = T(t);
    TORCH_CHECK(fn != nullptr, "null hook callback");
    TORCH_CHECK(x.is_leaf() && x.requires_grad(), "grad-ready hooks need a leaf tensor that requires grad");
    auto acc = torch::autograd::impl::grad_accumulator(x);
    TORCH_CHECK(acc != nullptr, "tensor has no gradient accumulator");
    const uintptr_t key = acc->add_post_hook(std::make_unique<GradReadyHook>(fn, tag));
    return new HookRegistration{std::move(acc), key};
  })
}

ATN_API void atn_hook_free(atn_hook h) {
  if (h == nullptr) return;
  auto* reg = static_cast<HookRegistration*>(h);
  reg->accumulator->del_post_hook(reg->key);
  delete reg;
}
}
