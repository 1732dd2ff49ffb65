// A prototype, not part of any package (issue 15): OpenBLAS's sgemm called from Node through
// Node-API, on the Float32Arrays' own memory (no copies), to measure what native code gives on
// the products of a training step. Built by build.sh against the OpenBLAS that NumPy ships.
#include <node_api.h>
#include <stdint.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
// NumPy's OpenBLAS build: 64-bit integers, symbols prefixed scipy_ and suffixed 64_.
void scipy_cblas_sgemm64_(int order, int transA, int transB, int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
                          const float *b, int64_t ldb, float beta, float *c, int64_t ldc);
void scipy_openblas_set_num_threads64_(int64_t n);

static float *floats(napi_env env, napi_value v) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "sgemm: a, b and c must be Float32Arrays");
    return NULL;
  }
  return (float *)data;
}

static double number(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

// sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc): C = alpha op(A) op(B) + beta C, row-major.
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value args[13];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc != 13) {
    napi_throw_type_error(env, NULL, "sgemm: expected 13 arguments");
    return NULL;
  }
  float *a = floats(env, args[6]), *b = floats(env, args[8]), *c = floats(env, args[11]);
  if (a == NULL || b == NULL || c == NULL) return NULL;
  scipy_cblas_sgemm64_(ROW_MAJOR, number(env, args[0]) != 0 ? TRANS : NO_TRANS, number(env, args[1]) != 0 ? TRANS : NO_TRANS, (int64_t)number(env, args[2]),
                       (int64_t)number(env, args[3]), (int64_t)number(env, args[4]), (float)number(env, args[5]), a, (int64_t)number(env, args[7]), b,
                       (int64_t)number(env, args[9]), (float)number(env, args[10]), c, (int64_t)number(env, args[12]));
  return NULL;
}

static napi_value setThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  scipy_openblas_set_num_threads64_((int64_t)number(env, arg));
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, sgemm, NULL, &f);
  napi_set_named_property(env, exports, "sgemm", f);
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, setThreads, NULL, &f);
  napi_set_named_property(env, exports, "setThreads", f);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
