// Shape and view ops.
#include <ATen/ATen.h>
#include "common.h"

using atn::T;
using atn::wrap;

extern "C" {

ATN_API atn_tensor atn_view(atn_tensor a, const int64_t* dims, int ndim) {
  ATN_GUARD(nullptr, { return wrap(T(a).view(atn::dims_of(dims, ndim))); })
}

ATN_API atn_tensor atn_reshape(atn_tensor a, const int64_t* dims, int ndim) {
  ATN_GUARD(nullptr, { return wrap(T(a).reshape(atn::dims_of(dims, ndim))); })
}

ATN_API atn_tensor atn_expand(atn_tensor a, const int64_t* dims, int ndim) {
  ATN_GUARD(nullptr, { return wrap(T(a).expand(atn::dims_of(dims, ndim))); })
}

ATN_API atn_tensor atn_permute(atn_tensor a, const int64_t* dims, int ndim) {
  ATN_GUARD(nullptr, { return wrap(T(a).permute(atn::dims_of(dims, ndim))); })
}

ATN_API atn_tensor atn_transpose(atn_tensor a, int64_t d0, int64_t d1) {
  ATN_GUARD(nullptr, { return wrap(T(a).transpose(d0, d1)); })
}

ATN_API atn_tensor atn_narrow(atn_tensor a, int64_t dim, int64_t start, int64_t length) {
  ATN_GUARD(nullptr, { return wrap(T(a).narrow(dim, start, length)); })
}

ATN_API atn_tensor atn_select(atn_tensor a, int64_t dim, int64_t index) {
  ATN_GUARD(nullptr, { return wrap(T(a).select(dim, index)); })
}

ATN_API atn_tensor atn_unsqueeze(atn_tensor a, int64_t dim) {
  ATN_GUARD(nullptr, { return wrap(T(a).unsqueeze(dim)); })
}

ATN_API atn_tensor atn_squeeze(atn_tensor a, int64_t dim) {
  ATN_GUARD(nullptr, { return wrap(T(a).squeeze(dim)); })
}

ATN_API atn_tensor atn_flatten(atn_tensor a, int64_t start_dim, int64_t end_dim) {
  ATN_GUARD(nullptr, { return wrap(T(a).flatten(start_dim, end_dim)); })
}

ATN_API int atn_split(atn_tensor a, int64_t split_size, int64_t dim, atn_tensor* out, int cap) {
  ATN_GUARD(-1, {
    auto parts = T(a).split(split_size, dim);
    const int n = static_cast<int>(parts.size());
    TORCH_CHECK(n <= cap, "split yields ", n, " parts but room was given for ", cap);
    for (int i = 0; i < n; ++i) out[i] = wrap(std::move(parts[static_cast<size_t>(i)]));
    return n;
  })
}
}
