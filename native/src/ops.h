// Op codes for the generic atn_unary/atn_binary/atn_scalar entry points. Mirrored in C#
// (src/Model/Native/OpCodes.cs); keep both in sync.
#pragma once

namespace atn {
enum UnaryOp {
  U_NEG = 0, U_EXP = 1, U_LOG = 2, U_SQRT = 3, U_RSQRT = 4, U_ABS = 5, U_TANH = 6, U_SIGMOID = 7, U_RELU = 8,
  U_CONTIGUOUS = 9, U_CLONE = 10, U_DETACH = 11, U_SQUARE = 12, U_ZEROS_LIKE = 13, U_ONES_LIKE = 14, U_SIN = 15,
  U_COS = 16, U_SIGN = 17, U_ISFINITE = 18, U_LOGICAL_NOT = 19, U_RECIPROCAL = 20, U_FLOOR = 21
};
enum BinaryOp {
  B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MATMUL = 4, B_MAXIMUM = 5, B_MINIMUM = 6, B_POW = 7, B_EQ = 8,
  B_NE = 9, B_LT = 10, B_LE = 11, B_GT = 12, B_GE = 13, B_COPY = 14
};
enum ScalarOp {
  S_ADD = 0, S_SUB = 1, S_MUL = 2, S_DIV = 3, S_POW = 4, S_RSUB = 5, S_EQ = 6, S_NE = 7, S_LT = 8, S_LE = 9,
  S_GT = 10, S_GE = 11, S_CLAMP_MIN = 12, S_CLAMP_MAX = 13, S_FILL = 14
};
}  // namespace atn
