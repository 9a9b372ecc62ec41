// Element-wise, reduction and indexing ops.
#include <ATen/ATen.h>
#include "common.h"
#include "ops.h"

using atn::T;
using namespace atn;

namespace {
[[noreturn]] void unknown(const char* kind, int op) {
  throw std::invalid_argument(std::string("unknown ") + kind + " op code " + std::to_string(op));
}

at::Tensor unary(int op, const at::Tensor& a) {
  switch (op) {
    case U_NEG: return a.neg();
    case U_EXP: return a.exp();
    case U_LOG: return a.log();
    case U_SQRT: return a.sqrt();
    case U_RSQRT: return a.rsqrt();
    case U_ABS: return a.abs();
    case U_TANH: return a.tanh();
    case U_SIGMOID: return a.sigmoid();
    case U_RELU: return a.relu();
    case U_CONTIGUOUS: return a.contiguous();
    case U_CLONE: return a.clone();
    case U_DETACH: return a.detach();
    case U_SQUARE: return a.square();
    case U_ZEROS_LIKE: return at::zeros_like(a);
    case U_ONES_LIKE: return at::ones_like(a);
    case U_SIN: return a.sin();
    case U_COS: return a.cos();
    case U_SIGN: return a.sign();
    case U_ISFINITE: return a.isfinite();
    case U_LOGICAL_NOT: return a.logical_not();
    case U_RECIPROCAL: return a.reciprocal();
    case U_FLOOR: return a.floor();
  }
  unknown("unary", op);
}

void unary_(int op, at::Tensor& a) {
  switch (op) {
    case U_NEG: a.neg_(); return;
    case U_EXP: a.exp_(); return;
    case U_LOG: a.log_(); return;
    case U_SQRT: a.sqrt_(); return;
    case U_ABS: a.abs_(); return;
    case U_TANH: a.tanh_(); return;
    case U_SIGMOID: a.sigmoid_(); return;
    case U_RELU: a.relu_(); return;
    case U_DETACH: a.detach_(); return;
    case U_SQUARE: a.square_(); return;
    case U_ZEROS_LIKE: a.zero_(); return;
    case U_RECIPROCAL: a.reciprocal_(); return;
    case U_FLOOR: a.floor_(); return;
  }
  unknown("in-place unary", op);
}

at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case B_ADD: return a.add(b);
    case B_SUB: return a.sub(b);
    case B_MUL: return a.mul(b);
    case B_DIV: return a.div(b);
    case B_MATMUL: return a.matmul(b);
    case B_MAXIMUM: return at::maximum(a, b);
    case B_MINIMUM: return at::minimum(a, b);
    case B_POW: return a.pow(b);
    case B_EQ: return a.eq(b);
    case B_NE: return a.ne(b);
    case B_LT: return a.lt(b);
    case B_LE: return a.le(b);
    case B_GT: return a.gt(b);
    case B_GE: return a.ge(b);
  }
  unknown("binary", op);
}

void binary_(int op, at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case B_ADD: a.add_(b); return;
    case B_SUB: a.sub_(b); return;
    case B_MUL: a.mul_(b); return;
    case B_DIV: a.div_(b); return;
    case B_POW: a.pow_(b); return;
    case B_COPY: a.copy_(b); return;
  }
  unknown("in-place binary", op);
}

at::Tensor scalar(int op, const at::Tensor& a, double s) {
  switch (op) {
    case S_ADD: return a.add(s);
    case S_SUB: return a.sub(s);
    case S_MUL: return a.mul(s);
    case S_DIV: return a.div(s);
    case S_POW: return a.pow(s);
    case S_RSUB: return at::rsub(a, s);
    case S_EQ: return a.eq(s);
    case S_NE: return a.ne(s);
    case S_LT: return a.lt(s);
    case S_LE: return a.le(s);
    case S_GT: return a.gt(s);
    case S_GE: return a.ge(s);
    case S_CLAMP_MIN: return a.clamp_min(s);
    case S_CLAMP_MAX: return a.clamp_max(s);
    case S_FILL: return at::full_like(a, s);
  }
  unknown("scalar", op);
}

void scalar_(int op, at::Tensor& a, double s) {
  switch (op) {
    case S_ADD: a.add_(s); return;
    case S_SUB: a.sub_(s); return;
    case S_MUL: a.mul_(s); return;
    case S_DIV: a.div_(s); return;
    case S_POW: a.pow_(s); return;
    case S_CLAMP_MIN: a.clamp_min_(s); return;
    case S_CLAMP_MAX: a.clamp_max_(s); return;
    case S_FILL: a.fill_(s); return;
  }
  unknown("in-place scalar", op);
}

std::vector<at::Tensor> gather_handles(const atn_tensor* ts, int n) {
  if (n <= 0) throw std::invalid_argument("expected at least one tensor");
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v.push_back(T(ts[i]));
  return v;
}
}  // namespace

extern "C" {

ATN_API atn_tensor atn_unary(int op, atn_tensor a) {
  ATN_GUARD(nullptr, { return wrap(unary(op, T(a))); })
}

ATN_API int atn_unary_(int op, atn_tensor a) {
  ATN_GUARD(-1, {
    unary_(op, T(a));
    return 0;
  })
}

ATN_API atn_tensor atn_binary(int op, atn_tensor a, atn_tensor b) {
  ATN_GUARD(nullptr, { return wrap(binary(op, T(a), T(b))); })
}

ATN_API int atn_binary_(int op, atn_tensor a, atn_tensor b) {
  ATN_GUARD(-1, {
    binary_(op, T(a), T(b));
    return 0;
  })
}

ATN_API atn_tensor atn_scalar(int op, atn_tensor a, double s) {
  ATN_GUARD(nullptr, { return wrap(scalar(op, T(a), s)); })
}

ATN_API int atn_scalar_(int op, atn_tensor a, double s) {
  ATN_GUARD(-1, {
    scalar_(op, T(a), s);
    return 0;
  })
}

ATN_API atn_tensor atn_add_scaled(atn_tensor a, atn_tensor b, double alpha) {
  ATN_GUARD(nullptr, { return wrap(T(a).add(T(b), alpha)); })
}

ATN_API int atn_add_scaled_(atn_tensor a, atn_tensor b, double alpha) {
  ATN_GUARD(-1, {
    T(a).add_(T(b), alpha);
    return 0;
  })
}

ATN_API atn_tensor atn_reduce(int op, atn_tensor a, const int64_t* dims, int ndims, int keepdim) {
  ATN_GUARD(nullptr, {
    auto& x = T(a);
    auto d = dims_of(dims, ndims);
    const bool keep = keepdim != 0;
    switch (op) {
      case 0: return wrap(ndims == 0 ? x.sum() : x.sum(d, keep));
      case 1: return wrap(ndims == 0 ? x.mean() : x.mean(d, keep));
      case 2: return wrap(x.amax(d, keep));
      case 3: return wrap(x.amin(d, keep));
      case 4:
      case 5: {
        TORCH_CHECK(ndims <= 1, "argmax/argmin take at most one dim, got ", ndims);
        c10::optional<int64_t> dim = ndims == 1 ? c10::optional<int64_t>(d[0]) : c10::nullopt;
        return wrap(op == 4 ? x.argmax(dim, keep) : x.argmin(dim, keep));
      }
      case 6: return wrap(ndims == 0 ? at::norm(x) : at::norm(x, 2, d, keep));
      case 7: return wrap(x.isfinite().all());
    }
    throw std::invalid_argument("unknown reduction op code " + std::to_string(op));
  })
}

ATN_API atn_tensor atn_softmax(atn_tensor a, int64_t dim, int log) {
  ATN_GUARD(nullptr, { return wrap(log ? T(a).log_softmax(dim) : T(a).softmax(dim)); })
}

ATN_API atn_tensor atn_masked_fill(atn_tensor a, atn_tensor mask, double value) {
  ATN_GUARD(nullptr, { return wrap(T(a).masked_fill(T(mask), value)); })
}

ATN_API int atn_masked_fill_(atn_tensor a, atn_tensor mask, double value) {
  ATN_GUARD(-1, {
    T(a).masked_fill_(T(mask), value);
    return 0;
  })
}

ATN_API atn_tensor atn_where(atn_tensor cond, atn_tensor a, atn_tensor b) {
  ATN_GUARD(nullptr, { return wrap(at::where(T(cond), T(a), T(b))); })
}

ATN_API atn_tensor atn_clamp(atn_tensor a, double lo, double hi) {
  ATN_GUARD(nullptr, { return wrap(T(a).clamp(lo, hi)); })
}

ATN_API atn_tensor atn_triangle(atn_tensor a, int64_t diagonal, int upper) {
  ATN_GUARD(nullptr, { return wrap(upper ? T(a).triu(diagonal) : T(a).tril(diagonal)); })
}

ATN_API atn_tensor atn_index_select(atn_tensor a, int64_t dim, atn_tensor index) {
  ATN_GUARD(nullptr, { return wrap(T(a).index_select(dim, T(index))); })
}

ATN_API atn_tensor atn_gather(atn_tensor a, int64_t dim, atn_tensor index) {
  ATN_GUARD(nullptr, { return wrap(T(a).gather(dim, T(index))); })
}

ATN_API atn_tensor atn_cat(const atn_tensor* ts, int n, int64_t dim) {
  ATN_GUARD(nullptr, { return wrap(at::cat(gather_handles(ts, n), dim)); })
}

ATN_API atn_tensor atn_stack(const atn_tensor* ts, int n, int64_t dim) {
  ATN_GUARD(nullptr, { return wrap(at::stack(gather_handles(ts, n), dim)); })
}

ATN_API int atn_allclose(atn_tensor a, atn_tensor b, double rtol, double atol) {
  ATN_GUARD(-1, { return at::allclose(T(a), T(b), rtol, atol) ? 1 : 0; })
}
}
