using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Medic.Core.Rca.Causal;

/// <summary>An ordinary least-squares fit, by QR (or, when the columns are collinear, the minimum-norm solution).</summary>
internal sealed class LeastSquares
{
    // A diagonal entry of R this small against the largest means its column is (nearly) a
    // combination of the ones before it: the plain QR solution would be numerically meaningless.
    private const double RankTolerance = 1e-10;

    private readonly Matrix<double>? _rInverse;

    private LeastSquares(Vector<double> coefficients, Vector<double> residuals, Matrix<double>? rInverse)
    {
        (Coefficients, Residuals, _rInverse) = (coefficients, residuals, rInverse);
        ResidualSumOfSquares = residuals.DotProduct(residuals);
    }

    public Vector<double> Coefficients { get; }

    public Vector<double> Residuals { get; }

    public double ResidualSumOfSquares { get; }

    public int Rows => Residuals.Count;

    public static LeastSquares Fit(Matrix<double> design, Vector<double> target)
    {
        var qr = design.QR(QRMethod.Thin);
        var diagonal = qr.R.Diagonal().PointwiseAbs();
        Vector<double> coefficients;
        Matrix<double>? rInverse = null;
        if (diagonal.Minimum() > RankTolerance * diagonal.Maximum())
        {
            coefficients = qr.Solve(target);
            rInverse = qr.R.Inverse();
        }
        else
        {
            coefficients = design.TransposeThisAndMultiply(design).PseudoInverse() * design.TransposeThisAndMultiply(target);
        }

        return new LeastSquares(coefficients, target - (design * coefficients), rInverse);
    }

    /// <summary>
    /// The standard error of coefficient <paramref name="index"/>: σ̂·√((XᵀX)⁻¹)ᵢᵢ, with (XᵀX)⁻¹ = R⁻¹R⁻ᵀ;
    /// NaN when the columns are collinear (the coefficient is not identified).
    /// </summary>
    public double StandardError(int index)
    {
        if (_rInverse is null)
        {
            return double.NaN;
        }

        var variance = ResidualSumOfSquares / (Rows - Coefficients.Count);
        return Math.Sqrt(variance * _rInverse.Row(index).DotProduct(_rInverse.Row(index)));
    }
}
