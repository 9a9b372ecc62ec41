using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Wrap(NativeMethods.atn_unary((int)op, _handle), op.ToString());
    private Tensor UnaryInPlace(UnaryOp op)
    {
        NativeErrors.Check(NativeMethods.atn_unary_((int)op, _handle), op + "_");
        return this;
    }
    private Tensor Binary(BinaryOp op, Tensor other) => Wrap(NativeMethods.atn_binary((int)op, _handle, other._handle), op.ToString());
    private Tensor BinaryInPlace(BinaryOp op, Tensor other)
    {
        NativeErrors.Check(NativeMethods.atn_binary_((int)op, _handle, other._handle), op + "_");
        return this;
    }
    private Tensor WithScalar(ScalarOp op, double s) => Wrap(NativeMethods.atn_scalar((int)op, _handle, s), op.ToString());
    private Tensor WithScalarInPlace(ScalarOp op, double s)
    {
        NativeErrors.Check(NativeMethods.atn_scalar_((int)op, _handle, s), op + "_");
        return this;
    }

    /// <summary>Element-wise sum (broadcasting).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(BinaryOp.Add, b);
    /// <summary>Element-wise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(BinaryOp.Sub, b);
    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(BinaryOp.Mul, b);
    /// <summary>Element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(BinaryOp.Div, b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double s) => a.WithScalar(ScalarOp.Add, s);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double s) => a.WithScalar(ScalarOp.Sub, s);
    /// <summary>s - a.</summary>
    public static Tensor operator -(double s, Tensor a) => a.WithScalar(ScalarOp.RSub, s);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, double s) => a.WithScalar(ScalarOp.Mul, s);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(double s, Tensor a) => a.WithScalar(ScalarOp.Mul, s);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double s) => a.WithScalar(ScalarOp.Div, s);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);

    /// <summary>this + alpha·other.</summary>
    public Tensor Add(Tensor other, double alpha = 1) => Wrap(NativeMethods.atn_add_scaled(_handle, other._handle, alpha), "add");
    /// <summary>Matrix product with broadcasting batch dims (torch.matmul).</summary>
    public Tensor MatMul(Tensor other) => Binary(BinaryOp.MatMul, other);
    /// <summary>Element-wise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    /// <summary>Element-wise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    /// <summary>Element-wise power.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>Element-wise power by a scalar.</summary>
    public Tensor Pow(double exponent) => WithScalar(ScalarOp.Pow, exponent);
    /// <summary>Element-wise ==.</summary>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    /// <summary>Element-wise == scalar.</summary>
    public Tensor Eq(double s) => WithScalar(ScalarOp.Eq, s);
    /// <summary>Element-wise != scalar.</summary>
    public Tensor Ne(double s) => WithScalar(ScalarOp.Ne, s);
    /// <summary>Element-wise &lt; scalar.</summary>
    public Tensor Lt(double s) => WithScalar(ScalarOp.Lt, s);
    /// <summary>Element-wise &gt; scalar.</summary>
    public Tensor Gt(double s) => WithScalar(ScalarOp.Gt, s);
    /// <summary>Element-wise &gt;= scalar.</summary>
    public Tensor Ge(double s) => WithScalar(ScalarOp.Ge, s);
    /// <summary>Element-wise &lt;= scalar.</summary>
    public Tensor Le(double s) => WithScalar(ScalarOp.Le, s);
    /// <summary>max(x, s).</summary>
    public Tensor ClampMin(double s) => WithScalar(ScalarOp.ClampMin, s);
    /// <summary>min(x, s).</summary>
    public Tensor ClampMax(double s) => WithScalar(ScalarOp.ClampMax, s);
    /// <summary>Clamps into [lo, hi].</summary>
    public Tensor Clamp(double lo, double hi) => Wrap(NativeMethods.atn_clamp(_handle, lo, hi), "clamp");

    /// <summary>e^x.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural log.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1/sqrt(x).</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);
    /// <summary>tanh.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);
    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryOp.Square);
    /// <summary>sin.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);
    /// <summary>cos.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);
    /// <summary>Sign (-1, 0, 1).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);
    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>Floor.</summary>
    public Tensor Floor() => Unary(UnaryOp.Floor);
    /// <summary>Element-wise finiteness mask.</summary>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    /// <summary>Logical not of a bool tensor.</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    /// <summary>A dense row-major copy (or this data, when already contiguous, under a new handle).</summary>
    public Tensor Contiguous() => Unary(UnaryOp.Contiguous);
    /// <summary>A copy that stays in the autograd graph.</summary>
    public Tensor Clone() => Unary(UnaryOp.Clone);
    /// <summary>Same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Unary(UnaryOp.Detach);
    /// <summary>Zeros of the same shape, dtype and device.</summary>
    public Tensor ZerosLike() => Unary(UnaryOp.ZerosLike);
    /// <summary>Ones of the same shape, dtype and device.</summary>
    public Tensor OnesLike() => Unary(UnaryOp.OnesLike);

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor Softmax(long dim) => Wrap(NativeMethods.atn_softmax(_handle, dim, 0), "softmax");
    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public Tensor LogSoftmax(long dim) => Wrap(NativeMethods.atn_softmax(_handle, dim, 1), "log_softmax");
    /// <summary>Where <paramref name="mask"/> is true, <paramref name="value"/>; elsewhere this.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Wrap(NativeMethods.atn_masked_fill(_handle, mask._handle, value), "masked_fill");
    /// <summary>Choose <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Wrap(NativeMethods.atn_where(condition._handle, a._handle, b._handle), "where");
    /// <summary>Upper triangle (elements below diagonal zeroed).</summary>
    public Tensor Triu(long diagonal = 0) => Wrap(NativeMethods.atn_triangle(_handle, diagonal, 1), "triu");
    /// <summary>Lower triangle.</summary>
    public Tensor Tril(long diagonal = 0) => Wrap(NativeMethods.atn_triangle(_handle, diagonal, 0), "tril");
    /// <summary>Rows (or slices) picked by an int64 index along <paramref name="dim"/>.</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(NativeMethods.atn_index_select(_handle, dim, index._handle), "index_select");
    /// <summary>torch.gather.</summary>
    public Tensor Gather(long dim, Tensor index) => Wrap(NativeMethods.atn_gather(_handle, dim, index._handle), "gather");
    /// <summary>Whether all elements are close (torch.allclose).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) =>
        NativeErrors.Check(NativeMethods.atn_allclose(_handle, other._handle, rtol, atol), "allclose") != 0;

    // ---- reductions ----

    private Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim) =>
        Wrap(NativeMethods.atn_reduce((int)op, _handle, dims, dims.Length, keepDim ? 1 : 0), op.ToString().ToLowerInvariant());

    /// <summary>Sum of all elements.</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    /// <summary>Sum along <paramref name="dim"/>.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    /// <summary>Mean along <paramref name="dim"/>.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    /// <summary>Maximum along <paramref name="dim"/> (values).</summary>
    public Tensor Max(long dim, bool keepDim = false) => Reduce(ReduceOp.AMax, [dim], keepDim);
    /// <summary>Maximum of all elements.</summary>
    public Tensor Max() => Reduce(ReduceOp.AMax, [], false);
    /// <summary>Minimum along <paramref name="dim"/> (values).</summary>
    public Tensor Min(long dim, bool keepDim = false) => Reduce(ReduceOp.AMin, [dim], keepDim);
    /// <summary>Index of the maximum along <paramref name="dim"/>.</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMax, [dim], keepDim);
    /// <summary>Index of the minimum along <paramref name="dim"/>.</summary>
    public Tensor ArgMin(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMin, [dim], keepDim);
    /// <summary>L2 norm of all elements.</summary>
    public Tensor Norm() => Reduce(ReduceOp.Norm, [], false);
    /// <summary>A bool scalar: every element finite.</summary>
    public Tensor AllFinite() => Reduce(ReduceOp.AllFinite, [], false);

    // ---- in place (return this) ----

    /// <summary>this += other.</summary>
    public Tensor AddInPlace(Tensor other) => BinaryInPlace(BinaryOp.Add, other);
    /// <summary>this += alpha·other (the SGD update: p.AddInPlace(g, -lr)).</summary>
    public Tensor AddInPlace(Tensor other, double alpha)
    {
        NativeErrors.Check(NativeMethods.atn_add_scaled_(_handle, other._handle, alpha), "add_");
        return this;
    }
    /// <summary>this -= other.</summary>
    public Tensor SubInPlace(Tensor other) => BinaryInPlace(BinaryOp.Sub, other);
    /// <summary>this *= other.</summary>
    public Tensor MulInPlace(Tensor other) => BinaryInPlace(BinaryOp.Mul, other);
    /// <summary>this /= other.</summary>
    public Tensor DivInPlace(Tensor other) => BinaryInPlace(BinaryOp.Div, other);
    /// <summary>Copies <paramref name="source"/> into this (broadcasting, converting dtype/device).</summary>
    public Tensor CopyFrom(Tensor source) => BinaryInPlace(BinaryOp.Copy, source);
    /// <summary>this += s.</summary>
    public Tensor AddInPlace(double s) => WithScalarInPlace(ScalarOp.Add, s);
    /// <summary>this *= s.</summary>
    public Tensor MulInPlace(double s) => WithScalarInPlace(ScalarOp.Mul, s);
    /// <summary>this /= s.</summary>
    public Tensor DivInPlace(double s) => WithScalarInPlace(ScalarOp.Div, s);
    /// <summary>Every element = s.</summary>
    public Tensor FillInPlace(double s) => WithScalarInPlace(ScalarOp.Fill, s);
    /// <summary>Clamps in place into [lo, ∞).</summary>
    public Tensor ClampMinInPlace(double s) => WithScalarInPlace(ScalarOp.ClampMin, s);
    /// <summary>Every element = 0.</summary>
    public Tensor ZeroInPlace() => UnaryInPlace(UnaryOp.ZerosLike);
    /// <summary>Square root in place.</summary>
    public Tensor SqrtInPlace() => UnaryInPlace(UnaryOp.Sqrt);
    /// <summary>Negation in place.</summary>
    public Tensor NegInPlace() => UnaryInPlace(UnaryOp.Neg);
    /// <summary>Where <paramref name="mask"/> is true, set <paramref name="value"/>.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, double value)
    {
        NativeErrors.Check(NativeMethods.atn_masked_fill_(_handle, mask._handle, value), "masked_fill_");
        return this;
    }
}
