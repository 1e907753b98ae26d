//! Maximum-likelihood fitting with argmin: L-BFGS (More-Thuente line search)
//! on log parameters with the analytic gradient, Nelder-Mead as the fallback.
//!
//! argmin's ready-made `Vec<f64>` backend pulls in `rand` with OS entropy,
//! which does not build for wasm32-unknown-unknown without JavaScript glue;
//! the few vector operations the two solvers need are implemented here on a
//! small newtype instead, so nothing random is linked.

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use std::cell::RefCell;

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, Hessian, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::newton::Newton;
use argmin::solver::quasinewton::LBFGS;
use argmin_math::{
    ArgminAdd, ArgminDot, ArgminInv, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul,
    ArgminScaledAdd, ArgminScaledSub, ArgminSignum, ArgminSub, ArgminZeroLike,
};

/// A point (or gradient) in log-parameter space.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Point(pub Vec<f64>);

impl Point {
    fn zip(&self, other: &Point, f: impl Fn(f64, f64) -> f64) -> Point {
        Point(
            self.0
                .iter()
                .zip(&other.0)
                .map(|(&a, &b)| f(a, b))
                .collect(),
        )
    }

    fn map(&self, f: impl Fn(f64) -> f64) -> Point {
        Point(self.0.iter().map(|&a| f(a)).collect())
    }
}

impl ArgminAdd<Point, Point> for Point {
    fn add(&self, other: &Point) -> Point {
        self.zip(other, |a, b| a + b)
    }
}
impl ArgminAdd<f64, Point> for Point {
    fn add(&self, other: &f64) -> Point {
        self.map(|a| a + other)
    }
}
impl ArgminSub<Point, Point> for Point {
    fn sub(&self, other: &Point) -> Point {
        self.zip(other, |a, b| a - b)
    }
}
impl ArgminSub<f64, Point> for Point {
    fn sub(&self, other: &f64) -> Point {
        self.map(|a| a - other)
    }
}
impl ArgminMul<Point, Point> for Point {
    fn mul(&self, other: &Point) -> Point {
        self.zip(other, |a, b| a * b)
    }
}
impl ArgminMul<f64, Point> for Point {
    fn mul(&self, other: &f64) -> Point {
        self.map(|a| a * other)
    }
}
impl ArgminDot<Point, f64> for Point {
    fn dot(&self, other: &Point) -> f64 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }
}
impl ArgminScaledAdd<Point, f64, Point> for Point {
    fn scaled_add(&self, factor: &f64, vec: &Point) -> Point {
        self.zip(vec, |a, b| a + factor * b)
    }
}
impl ArgminScaledSub<Point, f64, Point> for Point {
    fn scaled_sub(&self, factor: &f64, vec: &Point) -> Point {
        self.zip(vec, |a, b| a - factor * b)
    }
}
impl ArgminL1Norm<f64> for Point {
    fn l1_norm(&self) -> f64 {
        self.0.iter().map(|a| a.abs()).sum()
    }
}
impl ArgminL2Norm<f64> for Point {
    fn l2_norm(&self) -> f64 {
        self.0.iter().map(|a| a * a).sum::<f64>().sqrt()
    }
}
impl ArgminSignum for Point {
    fn signum(self) -> Point {
        self.map(f64::signum)
    }
}
impl ArgminZeroLike for Point {
    fn zero_like(&self) -> Point {
        self.map(|_| 0.0)
    }
}
impl ArgminMinMax for Point {
    fn min(x: &Point, y: &Point) -> Point {
        x.zip(y, f64::min)
    }
    fn max(x: &Point, y: &Point) -> Point {
        x.zip(y, f64::max)
    }
}

/// A symmetric matrix (the Hessian for argmin's Newton solver).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matrix(pub Vec<Vec<f64>>);

impl ArgminInv<Matrix> for Matrix {
    fn inv(&self) -> Result<Matrix, ArgminError> {
        inverse_positive_definite(&self.0)
            .map(Matrix)
            .ok_or_else(|| {
                argmin::core::ArgminError::InvalidParameter {
                    text: "Hessian not positive definite".into(),
                }
                .into()
            })
    }
}

impl ArgminDot<Point, Point> for Matrix {
    fn dot(&self, v: &Point) -> Point {
        Point(
            self.0
                .iter()
                .map(|row| row.iter().zip(&v.0).map(|(a, b)| a * b).sum())
                .collect(),
        )
    }
}

/// A negative log-likelihood in log parameters: mean over customers (so that
/// tolerances do not depend on the number of customers), with its gradient.
pub trait Objective {
    /// Mean negative log-likelihood and its gradient with respect to the log
    /// parameters; `None` where the likelihood is not finite.
    fn value_and_gradient(&self, log_params: &[f64]) -> Option<(f64, Vec<f64>)>;
}

/// Log parameters are kept within ±`LOG_BOUND` (1e-13 .. 1e13 in natural
/// units): outside, the objective is +∞, which both solvers treat as "worse".
/// Fits that run into the bound are reported by the caller as degenerate.
pub const LOG_BOUND: f64 = 30.0;

/// The objective as argmin sees it. argmin asks for the cost and the
/// gradient of the same point in separate calls; both come from one pass
/// over the data, so the last point's result is kept (a `RefCell`: the
/// solvers run on one thread, in wasm too).
struct Problem<'a, O: Objective> {
    objective: &'a O,
    last: RefCell<Option<(Vec<f64>, Evaluation)>>,
}

/// Value and gradient at a point, `None` where the likelihood is not finite.
type Evaluation = Option<(f64, Vec<f64>)>;

impl<'a, O: Objective> Problem<'a, O> {
    fn new(objective: &'a O) -> Self {
        Problem {
            objective,
            last: RefCell::new(None),
        }
    }

    fn eval(&self, p: &Point) -> Evaluation {
        if let Some((at, result)) = self.last.borrow().as_ref() {
            if *at == p.0 {
                return result.clone();
            }
        }
        let result = if p.0.iter().any(|v| !v.is_finite() || v.abs() > LOG_BOUND) {
            None
        } else {
            self.objective
                .value_and_gradient(&p.0)
                .filter(|(v, g)| v.is_finite() && g.iter().all(|x| x.is_finite()))
        };
        *self.last.borrow_mut() = Some((p.0.clone(), result.clone()));
        result
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Point;
    type Output = f64;
    fn cost(&self, p: &Point) -> Result<f64, ArgminError> {
        Ok(self.eval(p).map_or(f64::INFINITY, |(v, _)| v))
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = Point;
    type Gradient = Point;
    fn gradient(&self, p: &Point) -> Result<Point, ArgminError> {
        // Outside the domain the line search must step back; a zero gradient
        // there would stop L-BFGS, so this is an error it reports instead.
        self.eval(p).map(|(_, g)| Point(g)).ok_or_else(|| {
            argmin::core::ArgminError::InvalidParameter {
                text: "likelihood not finite".into(),
            }
            .into()
        })
    }
}

impl<O: Objective> Hessian for Problem<'_, O> {
    type Param = Point;
    type Hessian = Matrix;
    /// Forward differences of the analytic gradient (n + 1 evaluations, the
    /// first usually cached from the Newton step's gradient); step 1e-5 in
    /// log parameters, i.e. relative. Accurate to about 1e-5, which is all
    /// Newton's method needs to converge from a good start.
    fn hessian(&self, p: &Point) -> Result<Matrix, ArgminError> {
        let invalid = || -> ArgminError {
            argmin::core::ArgminError::InvalidParameter {
                text: "likelihood not finite".into(),
            }
            .into()
        };
        let (_, g0) = self.eval(p).ok_or_else(invalid)?;
        let n = p.0.len();
        let h = 1e-5;
        let mut m = vec![vec![0.0; n]; n];
        for j in 0..n {
            let mut q = p.clone();
            q.0[j] += h;
            let (_, g) = self.eval(&q).ok_or_else(invalid)?;
            for i in 0..n {
                m[i][j] = (g[i] - g0[i]) / h;
            }
        }
        for i in 0..n {
            for j in 0..i {
                let mean = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = mean;
                m[j][i] = mean;
            }
        }
        Ok(Matrix(m))
    }
}

/// Which solver produced the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Solver {
    Lbfgs,
    NelderMead,
    /// Newton's method from a subsample's optimum.
    Newton,
}

/// The minimum found.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub log_params: Vec<f64>,
    /// Mean negative log-likelihood at the minimum.
    pub value: f64,
    /// Largest absolute gradient component at the minimum (log parameters).
    pub gradient_max: f64,
    pub iterations: u64,
    pub solver: Solver,
}

/// Gradient size (mean log-likelihood per log parameter) below which a
/// minimum counts as converged: far below what changes a parameter's 4th
/// significant digit on any data set with at least a few customers.
pub const CONVERGED_GRADIENT: f64 = 1e-6;

/// Minimises from the best of the starting points: L-BFGS first; if it fails
/// or stops with a gradient that is not small, Nelder-Mead from the best point
/// so far, then L-BFGS again to polish.
pub fn minimise<O: Objective>(objective: &O, starts: &[Vec<f64>]) -> Option<Minimum> {
    let problem = Problem::new(objective);
    let start = starts
        .iter()
        .filter_map(|s| problem.eval(&Point(s.clone())).map(|(v, _)| (v, s)))
        .min_by(|a, b| a.0.total_cmp(&b.0))?
        .1
        .clone();
    let first = lbfgs(objective, start.clone());
    if let Some(m) = &first {
        if m.gradient_max < CONVERGED_GRADIENT {
            return first;
        }
    }
    let from = first.as_ref().map_or(start, |m| m.log_params.clone());
    let simplex = nelder_mead(objective, from)?;
    let polished = lbfgs(objective, simplex.log_params.clone());
    match polished {
        Some(p) if p.value <= simplex.value => Some(Minimum {
            solver: Solver::NelderMead,
            iterations: simplex.iterations + p.iterations,
            ..p
        }),
        _ => Some(simplex),
    }
}

/// Minimises from a start known to be close to the optimum (the optimum of
/// a subsample): a few steps of Newton's method, which converges
/// quadratically there and needs far fewer passes over the data than L-BFGS
/// building up its curvature. If the steps do not end at a converged point
/// no worse than the start, falls back to [`minimise`].
pub fn minimise_near(objective: &impl Objective, start: Vec<f64>) -> Option<Minimum> {
    let before = Problem::new(objective).eval(&Point(start.clone()))?.0;
    let newton: Newton<f64> = Newton::new();
    let result = Executor::new(Problem::new(objective), newton)
        .configure(|state| state.param(Point(start.clone())).max_iters(3))
        .timer(false)
        .run()
        .ok()
        .and_then(|r| r.state.get_param().map(|p| p.0.clone()))
        .and_then(|p| finish(objective, p, 3, Solver::Newton));
    match result {
        Some(m) if m.gradient_max < CONVERGED_GRADIENT && m.value <= before + 1e-12 => Some(m),
        _ => minimise(objective, &[start]),
    }
}

fn finish<O: Objective>(
    objective: &O,
    log_params: Vec<f64>,
    iterations: u64,
    solver: Solver,
) -> Option<Minimum> {
    let (value, gradient) = Problem::new(objective).eval(&Point(log_params.clone()))?;
    let gradient_max = gradient.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    Some(Minimum {
        log_params,
        value,
        gradient_max,
        iterations,
        solver,
    })
}

fn lbfgs<O: Objective>(objective: &O, start: Vec<f64>) -> Option<Minimum> {
    let line_search = MoreThuenteLineSearch::new();
    let solver = LBFGS::new(line_search, 10)
        .with_tolerance_grad(1e-10)
        .ok()?
        .with_tolerance_cost(1e-15)
        .ok()?;
    let result = Executor::new(Problem::new(objective), solver)
        .configure(|state| state.param(Point(start)).max_iters(500))
        .timer(false)
        .run()
        .ok()?;
    let best = result.state.get_best_param()?.0.clone();
    finish(objective, best, result.state.get_iter(), Solver::Lbfgs)
}

fn nelder_mead<O: Objective>(objective: &O, start: Vec<f64>) -> Option<Minimum> {
    let mut simplex = vec![Point(start.clone())];
    for i in 0..start.len() {
        let mut vertex = start.clone();
        vertex[i] += 0.5;
        simplex.push(Point(vertex));
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-12).ok()?;
    let result = Executor::new(Problem::new(objective), solver)
        .configure(|state| state.max_iters(4000))
        .timer(false)
        .run()
        .ok()?;
    let best = result.state.get_best_param()?.0.clone();
    finish(objective, best, result.state.get_iter(), Solver::NelderMead)
}

/// Symmetric matrix inverse by Cholesky; `None` unless positive definite.
pub fn inverse_positive_definite(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d.is_nan() || d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    // Inverse of L (lower triangular), then inv(M) = inv(L)ᵀ inv(L).
    let mut li = vec![vec![0.0; n]; n];
    for i in 0..n {
        li[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let s: f64 = (j..i).map(|k| l[i][k] * li[k][j]).sum();
            li[i][j] = -s / l[i][i];
        }
    }
    let mut inv = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            inv[i][j] = (i.max(j)..n).map(|k| li[k][i] * li[k][j]).sum();
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

/// Standard errors of natural parameters from the Hessian of the total
/// negative log-likelihood, by central differences of the analytic gradient.
///
/// `total_gradient(θ)` is the gradient of the total (not mean) negative
/// log-likelihood in natural parameters θ. Steps are 1e-5 relative, which
/// balances truncation (∝ h²) against rounding (∝ ε/h) for a smooth
/// likelihood. `None` when the Hessian is not positive definite (a flat or
/// boundary optimum, where standard errors do not exist).
pub fn standard_errors(
    params: &[f64],
    total_gradient: impl Fn(&[f64]) -> Option<Vec<f64>>,
) -> Option<Vec<f64>> {
    let n = params.len();
    let mut hessian = vec![vec![0.0; n]; n];
    for j in 0..n {
        let h = 1e-5 * params[j].abs().max(1e-8);
        let mut up = params.to_vec();
        up[j] += h;
        let mut down = params.to_vec();
        down[j] -= h;
        let gu = total_gradient(&up)?;
        let gd = total_gradient(&down)?;
        for i in 0..n {
            hessian[i][j] = (gu[i] - gd[i]) / (2.0 * h);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let mean = 0.5 * (hessian[i][j] + hessian[j][i]);
            hessian[i][j] = mean;
            hessian[j][i] = mean;
        }
    }
    let cov = inverse_positive_definite(&hessian)?;
    let se: Vec<f64> = (0..n).map(|i| cov[i][i].sqrt()).collect();
    se.iter().all(|v| v.is_finite()).then_some(se)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's valley, the classic hard case for line-search methods.
    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn value_and_gradient(&self, p: &[f64]) -> Option<(f64, Vec<f64>)> {
            let (x, y) = (p[0], p[1]);
            let v = (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2);
            let g = vec![
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ];
            Some((v, g))
        }
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let m = minimise(&Rosenbrock, &[vec![-1.2, 1.0]]).unwrap();
        assert!((m.log_params[0] - 1.0).abs() < 1e-6, "{m:?}");
        assert!((m.log_params[1] - 1.0).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn inverts_a_positive_definite_matrix() {
        let m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let inv = inverse_positive_definite(&m).unwrap();
        // inv = 1/8 [[3, -2], [-2, 4]]
        assert!((inv[0][0] - 0.375).abs() < 1e-15);
        assert!((inv[0][1] + 0.25).abs() < 1e-15);
        assert!((inv[1][1] - 0.5).abs() < 1e-15);
        assert!(inverse_positive_definite(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }
}
