/* ActorTrain native shim: a C ABI over libtorch's C++ API.
 *
 * Conventions
 *  - A tensor handle (atn_tensor) is an owned heap at::Tensor; free it with atn_free exactly once.
 *  - Functions returning a handle return NULL on failure; functions returning int return 0 on success
 *    and -1 on failure. After a failure, atn_last_error() returns the libtorch message (malloc'd; free it
 *    with atn_free_string). No C++ exception ever crosses this boundary.
 *  - Shapes are passed as (const int64_t* dims, int ndim).
 *  - dtype codes: see ATN_DTYPE_*; device: type ATN_DEVICE_CPU / ATN_DEVICE_CUDA plus an index.
 */
#ifndef ACTORTRAIN_NATIVE_H
#define ACTORTRAIN_NATIVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATN_API __attribute__((visibility("default")))

typedef void* atn_tensor;
typedef void* atn_generator;
typedef void* atn_hook;

enum { ATN_DTYPE_FLOAT32 = 0, ATN_DTYPE_FLOAT64 = 1, ATN_DTYPE_BFLOAT16 = 2, ATN_DTYPE_INT64 = 3,
       ATN_DTYPE_FLOAT16 = 4, ATN_DTYPE_INT32 = 5, ATN_DTYPE_BOOL = 6, ATN_DTYPE_UINT8 = 7 };
enum { ATN_DEVICE_CPU = 0, ATN_DEVICE_CUDA = 1 };

/* ---- errors.cpp ---- */
ATN_API char* atn_last_error(void);
ATN_API void atn_free_string(char* s);

/* ---- runtime.cpp: version, threads, devices, accounting ---- */
ATN_API int atn_torch_version(int* major, int* minor, int* patch);
ATN_API int64_t atn_live_tensors(void);
ATN_API int atn_set_num_threads(int n);
ATN_API int atn_get_num_threads(void);
ATN_API int atn_set_num_interop_threads(int n);
ATN_API int atn_cuda_is_available(void);
ATN_API int atn_cuda_device_count(void);
ATN_API int atn_manual_seed(uint64_t seed);

/* ---- tensor_create.cpp ---- */
ATN_API void atn_free(atn_tensor t);
ATN_API atn_tensor atn_from_data(const void* data, int dtype, const int64_t* dims, int ndim,
                                 int device_type, int device_index);
/* kind: 0 empty, 1 zeros, 2 ones, 3 full(value) */
ATN_API atn_tensor atn_fill(int kind, const int64_t* dims, int ndim, int dtype, int device_type,
                            int device_index, double value);
ATN_API atn_tensor atn_arange(int64_t start, int64_t end, int64_t step, int dtype, int device_type,
                              int device_index);
ATN_API atn_tensor atn_shallow_copy(atn_tensor t);
ATN_API int atn_dim(atn_tensor t);
ATN_API int atn_shape(atn_tensor t, int64_t* out, int cap);
ATN_API int atn_strides(atn_tensor t, int64_t* out, int cap);
ATN_API int64_t atn_numel(atn_tensor t);
ATN_API int atn_dtype(atn_tensor t);
ATN_API int atn_device(atn_tensor t, int* device_type, int* device_index);
ATN_API int atn_is_contiguous(atn_tensor t);
/* Raw pointer to the first element (CPU tensors only; NULL + error otherwise). */
ATN_API void* atn_data_ptr(atn_tensor t);
ATN_API int atn_copy_to_host(atn_tensor t, void* dst, int64_t nbytes);
ATN_API int atn_copy_from_host(atn_tensor t, const void* src, int64_t nbytes);
ATN_API atn_tensor atn_to(atn_tensor t, int dtype, int device_type, int device_index);
ATN_API int atn_item(atn_tensor t, double* out);
ATN_API int atn_item_int64(atn_tensor t, int64_t* out);
/* A tensor over `base`'s storage (no view tracking): storage offset in elements + contiguous shape. */
ATN_API atn_tensor atn_alias_storage(atn_tensor base, int64_t offset, const int64_t* dims, int ndim);

/* ---- random.cpp: explicit generators (CPU generators; CUDA tensors draw on CPU then copy) ---- */
ATN_API atn_generator atn_generator_new(uint64_t seed);
ATN_API void atn_generator_free(atn_generator g);
ATN_API int atn_generator_set_seed(atn_generator g, uint64_t seed);
/* Writes the state into buf when cap is large enough; returns the state size in bytes, -1 on error. */
ATN_API int64_t atn_generator_get_state(atn_generator g, uint8_t* buf, int64_t cap);
ATN_API int atn_generator_set_state(atn_generator g, const uint8_t* buf, int64_t len);
/* kind: 0 uniform[a,b), 1 normal(mean a, std b), 2 randint[a,b), 3 bernoulli(p=a) */
ATN_API atn_tensor atn_random(int kind, atn_generator g, const int64_t* dims, int ndim, int dtype,
                              int device_type, int device_index, double a, double b);
ATN_API int atn_random_(int kind, atn_tensor t, atn_generator g, double a, double b);
ATN_API atn_tensor atn_randperm(int64_t n, atn_generator g);

/* ---- ops.cpp (op codes in ops.h / C# TensorOps) ---- */
ATN_API atn_tensor atn_unary(int op, atn_tensor a);
ATN_API int atn_unary_(int op, atn_tensor a);
ATN_API atn_tensor atn_binary(int op, atn_tensor a, atn_tensor b);
ATN_API int atn_binary_(int op, atn_tensor a, atn_tensor b);
ATN_API atn_tensor atn_scalar(int op, atn_tensor a, double s);
ATN_API int atn_scalar_(int op, atn_tensor a, double s);
/* a + alpha * b, and in place. */
ATN_API atn_tensor atn_add_scaled(atn_tensor a, atn_tensor b, double alpha);
ATN_API int atn_add_scaled_(atn_tensor a, atn_tensor b, double alpha);
/* op: 0 sum, 1 mean, 2 amax, 3 amin, 4 argmax (ndims must be 1), 5 argmin, 6 L2 norm, 7 all finite */
ATN_API atn_tensor atn_reduce(int op, atn_tensor a, const int64_t* dims, int ndims, int keepdim);
ATN_API atn_tensor atn_softmax(atn_tensor a, int64_t dim, int log);
ATN_API atn_tensor atn_masked_fill(atn_tensor a, atn_tensor mask, double value);
ATN_API int atn_masked_fill_(atn_tensor a, atn_tensor mask, double value);
ATN_API atn_tensor atn_where(atn_tensor cond, atn_tensor a, atn_tensor b);
ATN_API atn_tensor atn_clamp(atn_tensor a, double lo, double hi);
ATN_API atn_tensor atn_triangle(atn_tensor a, int64_t diagonal, int upper);
ATN_API atn_tensor atn_index_select(atn_tensor a, int64_t dim, atn_tensor index);
ATN_API atn_tensor atn_gather(atn_tensor a, int64_t dim, atn_tensor index);
ATN_API atn_tensor atn_cat(const atn_tensor* ts, int n, int64_t dim);
ATN_API atn_tensor atn_stack(const atn_tensor* ts, int n, int64_t dim);
ATN_API int atn_allclose(atn_tensor a, atn_tensor b, double rtol, double atol);

/* ---- views.cpp ---- */
ATN_API atn_tensor atn_view(atn_tensor a, const int64_t* dims, int ndim);
ATN_API atn_tensor atn_reshape(atn_tensor a, const int64_t* dims, int ndim);
ATN_API atn_tensor atn_expand(atn_tensor a, const int64_t* dims, int ndim);
ATN_API atn_tensor atn_permute(atn_tensor a, const int64_t* dims, int ndim);
ATN_API atn_tensor atn_transpose(atn_tensor a, int64_t d0, int64_t d1);
ATN_API atn_tensor atn_narrow(atn_tensor a, int64_t dim, int64_t start, int64_t length);
ATN_API atn_tensor atn_select(atn_tensor a, int64_t dim, int64_t index);
ATN_API atn_tensor atn_unsqueeze(atn_tensor a, int64_t dim);
ATN_API atn_tensor atn_squeeze(atn_tensor a, int64_t dim);
ATN_API atn_tensor atn_flatten(atn_tensor a, int64_t start_dim, int64_t end_dim);
/* Splits into chunks of split_size along dim; writes up to cap handles to out; returns the count or -1. */
ATN_API int atn_split(atn_tensor a, int64_t split_size, int64_t dim, atn_tensor* out, int cap);

/* ---- nn_functional.cpp ---- */
ATN_API atn_tensor atn_linear(atn_tensor x, atn_tensor w, atn_tensor b /* nullable */);
ATN_API atn_tensor atn_embedding(atn_tensor weight, atn_tensor indices);
ATN_API atn_tensor atn_layer_norm(atn_tensor x, const int64_t* normalized_shape, int ndim,
                                  atn_tensor w /* nullable */, atn_tensor b /* nullable */, double eps);
ATN_API atn_tensor atn_gelu(atn_tensor x, int tanh_approximation);
ATN_API atn_tensor atn_dropout(atn_tensor x, double p, int train, atn_generator g /* nullable */);
/* reduction: 0 none, 1 mean, 2 sum. */
ATN_API atn_tensor atn_cross_entropy(atn_tensor logits, atn_tensor targets, int64_t ignore_index,
                                     int reduction, double label_smoothing);
/* Causal attention over (B, H, T, D) q, k, v with an additive mask (T', T') sliced to (T, T) (nullable: none). */
ATN_API atn_tensor atn_attention(atn_tensor q, atn_tensor k, atn_tensor v, atn_tensor additive_mask,
                                 double scale);

/* ---- autograd.cpp ---- */
ATN_API int atn_requires_grad(atn_tensor t);
ATN_API int atn_set_requires_grad(atn_tensor t, int requires_grad);
ATN_API int atn_is_leaf(atn_tensor t);
ATN_API int atn_backward(atn_tensor t, atn_tensor grad /* nullable */, int retain_graph);
/* *out receives a new handle to t.grad, or NULL when undefined. */
ATN_API int atn_grad(atn_tensor t, atn_tensor* out);
ATN_API int atn_set_grad(atn_tensor t, atn_tensor grad /* nullable: undefine */);
ATN_API int atn_grad_enabled(void);
/* Sets grad mode for the calling thread; returns the previous mode. */
ATN_API int atn_set_grad_enabled(int enabled);

/* ---- hooks.cpp: per-parameter "gradient accumulated" callbacks ---- */
typedef void (*atn_grad_ready_fn)(int64_t tag);
/* Calls fn(tag) on the backward thread each time t's gradient has been accumulated (t must be a leaf
   requiring grad). Keeps t's grad accumulator alive until atn_hook_free. */
ATN_API atn_hook atn_register_grad_ready_hook(atn_tensor t, atn_grad_ready_fn fn, int64_t tag);
ATN_API void atn_hook_free(atn_hook h);

#ifdef __cplusplus
}
#endif
#endif
