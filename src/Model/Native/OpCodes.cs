namespace ActorTrain.Model.Native;

// Mirrors native/src/ops.h; keep both in sync.

internal enum UnaryOp
{
    Neg = 0, Exp = 1, Log = 2, Sqrt = 3, Rsqrt = 4, Abs = 5, Tanh = 6, Sigmoid = 7, Relu = 8, Contiguous = 9,
    Clone = 10, Detach = 11, Square = 12, ZerosLike = 13, OnesLike = 14, Sin = 15, Cos = 16, Sign = 17,
    IsFinite = 18, LogicalNot = 19, Reciprocal = 20, Floor = 21,
}

internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, MatMul = 4, Maximum = 5, Minimum = 6, Pow = 7, Eq = 8, Ne = 9, Lt = 10,
    Le = 11, Gt = 12, Ge = 13, Copy = 14,
}

internal enum ScalarOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, RSub = 5, Eq = 6, Ne = 7, Lt = 8, Le = 9, Gt = 10, Ge = 11,
    ClampMin = 12, ClampMax = 13, Fill = 14,
}

internal enum ReduceOp { Sum = 0, Mean = 1, AMax = 2, AMin = 3, ArgMax = 4, ArgMin = 5, Norm = 6, AllFinite = 7 }

internal enum FillKind { Empty = 0, Zeros = 1, Ones = 2, Full = 3 }

internal enum RandomKind { Uniform = 0, Normal = 1, RandInt = 2, Bernoulli = 3 }
