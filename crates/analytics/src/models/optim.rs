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

use super::special::SameEverywhere;

use argmin::core::{
    CostFunction, Error as ArgminError, Executor, Gradient, Hessian, IterState,
    Solver as ArgminSolver, State, TerminationReason, TerminationStatus, KV,
};
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

    /// The same with the Hessian (log parameters), from the same pass over
    /// the data: Newton's method needs all three at every step.
    fn value_gradient_hessian(&self, log_params: &[f64]) -> Option<WithHessian>;

    /// The Hessian at a point whose value and gradient are already known
    /// (where a search stopped): by default [`Self::value_gradient_hessian`]
    /// again. An objective whose Hessian is differenced from gradients
    /// reuses the gradient given, which is the one it would compute, and
    /// so saves its two passes over the data.
    fn hessian_at(&self, log_params: &[f64], value: f64, gradient: &[f64]) -> Option<WithHessian> {
        let _ = (value, gradient);
        self.value_gradient_hessian(log_params)
    }
}

/// Value, gradient and Hessian at one point.
pub type WithHessian = (f64, Vec<f64>, Vec<Vec<f64>>);

/// A Hessian in natural parameters from one in log parameters θ = ln p:
/// ∂²f/∂θᵢ∂θⱼ = pᵢpⱼ ∂²f/∂pᵢ∂pⱼ + δᵢⱼ pᵢ ∂f/∂pᵢ, so the other way round
/// (`gradient` is the natural-parameter gradient).
pub fn log_hessian(natural: &[f64], gradient: &[f64], hessian: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = natural.len();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let diagonal = if i == j {
                        natural[i] * gradient[i]
                    } else {
                        0.0
                    };
                    natural[i] * natural[j] * hessian[i][j] + diagonal
                })
                .collect()
        })
        .collect()
}

/// The mean negative log-likelihood over `n` customers, its gradient and
/// Hessian in log parameters, from the total log-likelihood `ll`, gradient
/// `g` and Hessian `h` in the natural parameters `natural`.
pub fn mean_negative_in_logs<const N: usize>(
    natural: &[f64; N],
    n: f64,
    ll: f64,
    g: &[f64; N],
    h: &[[f64; N]; N],
) -> WithHessian {
    let rows: Vec<Vec<f64>> = h.iter().map(|row| row.to_vec()).collect();
    let hessian = log_hessian(natural, g, &rows)
        .into_iter()
        .map(|row| row.into_iter().map(|v| -v / n).collect())
        .collect();
    let gradient = (0..N).map(|i| -g[i] * natural[i] / n).collect();
    (-ll / n, gradient, hessian)
}

/// The upper triangle mirrored into the lower one.
pub fn symmetric<const N: usize>(mut h: [[f64; N]; N]) -> [[f64; N]; N] {
    for i in 0..N {
        for j in 0..i {
            h[i][j] = h[j][i];
        }
    }
    h
}

/// Log parameters are kept within ±`LOG_BOUND` (1e-13 .. 1e13 in natural
/// units): outside, the objective is +∞, which both solvers treat as "worse".
/// Fits that run into the bound are reported by the caller as degenerate.
pub const LOG_BOUND: f64 = 30.0;

/// The objective as argmin sees it. argmin asks for the cost, the gradient
/// and (Newton) the Hessian of the same point in separate calls; all come
/// from one pass over the data, so the last point's result is kept (a
/// `RefCell`: the solvers run on one thread, in wasm too).
struct Problem<'a, O: Objective> {
    objective: &'a O,
    /// Whether every evaluation includes the Hessian (Newton's method).
    hessians: bool,
    last: RefCell<Option<(Vec<f64>, Evaluation)>>,
}

/// Value, gradient and (when asked for) Hessian at a point, `None` where the
/// likelihood is not finite.
type Evaluation = Option<(f64, Vec<f64>, Option<Vec<Vec<f64>>>)>;

impl<'a, O: Objective> Problem<'a, O> {
    fn new(objective: &'a O) -> Self {
        Problem {
            objective,
            hessians: false,
            last: RefCell::new(None),
        }
    }

    fn with_hessians(objective: &'a O) -> Self {
        Problem {
            hessians: true,
            ..Problem::new(objective)
        }
    }

    fn eval(&self, p: &Point) -> Evaluation {
        if let Some((at, result)) = self.last.borrow().as_ref() {
            if *at == p.0 {
                return result.clone();
            }
        }
        let finite = |v: &f64, g: &[f64]| v.is_finite() && g.iter().all(|x| x.is_finite());
        let result = if p.0.iter().any(|v| !v.is_finite() || v.abs() > LOG_BOUND) {
            None
        } else if self.hessians {
            self.objective
                .value_gradient_hessian(&p.0)
                .filter(|(v, g, h)| finite(v, g) && h.iter().flatten().all(|x| x.is_finite()))
                .map(|(v, g, h)| (v, g, Some(h)))
        } else {
            self.objective
                .value_and_gradient(&p.0)
                .filter(|(v, g)| finite(v, g))
                .map(|(v, g)| (v, g, None))
        };
        *self.last.borrow_mut() = Some((p.0.clone(), result.clone()));
        result
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Point;
    type Output = f64;
    fn cost(&self, p: &Point) -> Result<f64, ArgminError> {
        Ok(self.eval(p).map_or(f64::INFINITY, |(v, _, _)| v))
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = Point;
    type Gradient = Point;
    fn gradient(&self, p: &Point) -> Result<Point, ArgminError> {
        // Outside the domain the line search must step back; a zero gradient
        // there would stop L-BFGS, so this is an error it reports instead.
        self.eval(p).map(|(_, g, _)| Point(g)).ok_or_else(|| {
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
    /// The objective's analytic Hessian (computed with the gradient when
    /// the problem was made [`Problem::with_hessians`]).
    fn hessian(&self, p: &Point) -> Result<Matrix, ArgminError> {
        let h = match self.eval(p) {
            Some((_, _, Some(h))) => Some(h),
            _ => self
                .objective
                .value_gradient_hessian(&p.0)
                .map(|(_, _, h)| h)
                .filter(|h| h.iter().flatten().all(|x| x.is_finite())),
        };
        h.map(Matrix).ok_or_else(|| {
            argmin::core::ArgminError::InvalidParameter {
                text: "likelihood not finite".into(),
            }
            .into()
        })
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
    /// Its gradient and Hessian there (log parameters).
    pub gradient: Vec<f64>,
    pub hessian: Vec<Vec<f64>>,
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
    minimise_unless(objective, starts, |_| false)
}

/// [`minimise`], except that an unconverged L-BFGS result for which
/// `hopeless` is true is returned as it is instead of going on with
/// Nelder-Mead: for a caller that can tell from where L-BFGS stopped that the
/// data do not identify the model (Nelder-Mead would spend its thousands of
/// steps crawling along the same ridge), and reports that instead.
pub fn minimise_unless<O: Objective>(
    objective: &O,
    starts: &[Vec<f64>],
    hopeless: impl Fn(&Minimum) -> bool,
) -> Option<Minimum> {
    minimise_to(objective, starts, hopeless, L_BFGS_TOLERANCE)
}

/// L-BFGS's gradient tolerance (norm of the mean log-likelihood's gradient
/// in log parameters): far below [`CONVERGED_GRADIENT`], so that the
/// estimate is the optimum to every digit the data support.
pub const L_BFGS_TOLERANCE: f64 = 1e-10;

/// [`minimise_unless`] with L-BFGS stopping once the gradient's norm is
/// below `tolerance`: a fit on a sample, whose estimate moves with the
/// sample far more than with the last digits, stops at 1e-7 (still below
/// [`CONVERGED_GRADIENT`]) and saves the last iterations.
pub fn minimise_to<O: Objective>(
    objective: &O,
    starts: &[Vec<f64>],
    hopeless: impl Fn(&Minimum) -> bool,
    tolerance: f64,
) -> Option<Minimum> {
    let problem = Problem::new(objective);
    let start = starts
        .iter()
        .filter_map(|s| problem.eval(&Point(s.clone())).map(|(v, _, _)| (v, s)))
        .min_by(|a, b| a.0.total_cmp(&b.0))?
        .1
        .clone();
    let first = lbfgs(objective, start.clone(), tolerance);
    if let Some(m) = &first {
        if m.gradient_max < CONVERGED_GRADIENT.max(tolerance) || hopeless(m) {
            return first;
        }
    }
    let from = first.as_ref().map_or(start, |m| m.log_params.clone());
    let simplex = nelder_mead(objective, from)?;
    let polished = lbfgs(objective, simplex.log_params.clone(), L_BFGS_TOLERANCE);
    match polished {
        Some(p) if p.value <= simplex.value => Some(Minimum {
            solver: Solver::NelderMead,
            iterations: simplex.iterations + p.iterations,
            ..p
        }),
        _ => Some(simplex),
    }
}

/// Newton steps before [`minimise_near`] gives up and falls back to
/// [`minimise`]: from a subsample's optimum it needs two to four.
const NEWTON_STEPS: u64 = 8;

/// Gradient at which Newton's method stops: a thousandth of
/// [`CONVERGED_GRADIENT`]. Newton converges quadratically, so this costs
/// about one step more than stopping at [`CONVERGED_GRADIENT`] and leaves
/// the estimate where L-BFGS's tighter tolerance would (the same figures to
/// 8 or more digits), well inside the noise of any data set.
const NEWTON_FLAT: f64 = CONVERGED_GRADIENT * 1e-3;

/// argmin's Newton step, stopping as soon as the gradient at the current
/// point is flat (argmin's `Newton` runs to its iteration limit; each step
/// here is a full pass over the data). The point where it stops is the last
/// one evaluated, so its value, gradient and Hessian are still in the
/// problem's cache.
struct NewtonUntilFlat {
    newton: Newton<f64>,
    flat: bool,
    /// Mean negative log-likelihood at the start (from the first step's pass).
    start_value: Option<f64>,
}

type NewtonState = IterState<Point, Point, (), Matrix, (), f64>;

impl<O: Objective> ArgminSolver<Problem<'_, O>, NewtonState> for NewtonUntilFlat {
    fn name(&self) -> &str {
        "Newton until the gradient is flat"
    }

    fn next_iter(
        &mut self,
        problem: &mut argmin::core::Problem<Problem<'_, O>>,
        state: NewtonState,
    ) -> Result<(NewtonState, Option<KV>), ArgminError> {
        if let Some(at) = state.get_param() {
            let gradient = problem.gradient(at)?;
            if self.start_value.is_none() {
                self.start_value = Some(problem.cost(at)?);
            }
            if gradient.0.iter().all(|g| g.abs() < NEWTON_FLAT) {
                self.flat = true;
                return Ok((state, None));
            }
        }
        self.newton.next_iter(problem, state)
    }

    fn terminate(&mut self, _state: &NewtonState) -> TerminationStatus {
        if self.flat {
            TerminationStatus::Terminated(TerminationReason::SolverConverged)
        } else {
            TerminationStatus::NotTerminated
        }
    }
}

/// Minimises from a start known to be close to the optimum (the optimum of
/// a subsample): Newton's method with the analytic Hessian, which converges
/// quadratically there, so the data are passed over once per step plus
/// once to confirm. If the steps do not end at a converged point no worse
/// than the start, falls back to [`minimise`].
pub fn minimise_near(objective: &impl Objective, start: Vec<f64>) -> Option<Minimum> {
    let solver = NewtonUntilFlat {
        newton: Newton::new(),
        flat: false,
        start_value: None,
    };
    let result = Executor::new(Problem::with_hessians(objective), solver)
        .configure(|state| state.param(Point(start.clone())).max_iters(NEWTON_STEPS))
        .timer(false)
        .run()
        .ok()
        .and_then(|mut r| {
            let at = r.state.get_param()?.0.clone();
            let problem = r.problem.take_problem()?;
            let before = r.solver.start_value?;
            let m = finish(&problem, at, r.state.get_iter(), Solver::Newton)?;
            Some((m, before))
        });
    match result {
        Some((m, before)) if m.gradient_max < CONVERGED_GRADIENT && m.value <= before + 1e-12 => {
            Some(m)
        }
        _ => minimise(objective, &[start]),
    }
}

/// Steps of [`minimise_with_hessian`] before it gives up.
const QUASI_NEWTON_STEPS: u64 = 12;

/// The minimum of `objective` near `start` by quasi-Newton steps that
/// start from `hessian`, the Hessian of the optimum of a subsample of the
/// same data, close to this one's: each step costs one gradient (Pareto/NBD
/// has no analytic Hessian, and one by differences costs eight), and BFGS
/// updates correct the Hessian on the way, so that from the subsample's
/// optimum 4-6 steps reach the tolerance where L-BFGS, starting from a
/// scaled identity, takes about 16 iterations with line searches. A step
/// that does not lower the value is halved. `None` when it has not reached
/// `tolerance` within [`QUASI_NEWTON_STEPS`] steps; the caller then runs
/// L-BFGS.
pub fn minimise_with_hessian(
    objective: &impl Objective,
    start: Vec<f64>,
    hessian: &[Vec<f64>],
    tolerance: f64,
) -> Option<Minimum> {
    let n = start.len();
    let mut h: Vec<Vec<f64>> = hessian.to_vec();
    let mut at = start;
    let (mut value, mut gradient) = objective.value_and_gradient(&at)?;
    for step in 0..QUASI_NEWTON_STEPS {
        let largest = gradient.iter().fold(0.0f64, |m, g| m.max(g.abs()));
        if largest < tolerance {
            // The value and gradient here are known: only the Hessian is new.
            return finish_known(objective, at, (value, gradient), step, Solver::Newton);
        }
        let inverse = inverse_positive_definite(&h)?;
        let direction: Vec<f64> = inverse
            .iter()
            .map(|row| -row.iter().zip(&gradient).map(|(h, g)| h * g).sum::<f64>())
            .collect();
        let mut length = 1.0;
        let (next, next_value, next_gradient) = loop {
            let next: Vec<f64> = at
                .iter()
                .zip(&direction)
                .map(|(p, d)| p + length * d)
                .collect();
            match objective.value_and_gradient(&next) {
                // Equal within rounding counts: near the optimum the decrease
                // is below the value's last digits.
                Some((v, g))
                    if v <= value + 1e-14 * value.abs() && g.iter().all(|x| x.is_finite()) =>
                {
                    break (next, v, g)
                }
                _ if length > 1e-3 => length *= 0.5,
                _ => return None,
            }
        };
        // BFGS: H += y yᵀ/(yᵀs) − (Hs)(Hs)ᵀ/(sᵀHs), kept positive definite
        // by skipping the update where yᵀs ≤ 0.
        let s: Vec<f64> = (0..n).map(|i| next[i] - at[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| next_gradient[i] - gradient[i]).collect();
        let ys: f64 = (0..n).map(|i| y[i] * s[i]).sum();
        let hs: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| h[i][j] * s[j]).sum())
            .collect();
        let shs: f64 = (0..n).map(|i| s[i] * hs[i]).sum();
        if ys > 0.0 && shs > 0.0 {
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += y[i] * y[j] / ys - hs[i] * hs[j] / shs;
                }
            }
        }
        (at, value, gradient) = (next, next_value, next_gradient);
    }
    None
}

/// The minimum at `log_params` with its value, gradient and Hessian (from
/// the problem's cache when it evaluated there last).
fn finish<O: Objective>(
    problem: &Problem<'_, O>,
    log_params: Vec<f64>,
    iterations: u64,
    solver: Solver,
) -> Option<Minimum> {
    match problem.eval(&Point(log_params.clone()))? {
        (value, gradient, Some(hessian)) => Some(Minimum::at(
            log_params,
            (value, gradient, hessian),
            iterations,
            solver,
        )),
        (value, gradient, None) => finish_known(
            problem.objective,
            log_params,
            (value, gradient),
            iterations,
            solver,
        ),
    }
}

/// The minimum at `log_params`, whose value and gradient are `known`: the
/// Hessian from [`Objective::hessian_at`], with no second pass for them.
fn finish_known<O: Objective>(
    objective: &O,
    log_params: Vec<f64>,
    known: (f64, Vec<f64>),
    iterations: u64,
    solver: Solver,
) -> Option<Minimum> {
    let (value, gradient, hessian) = objective.hessian_at(&log_params, known.0, &known.1)?;
    let finite = value.is_finite()
        && gradient.iter().all(|g| g.is_finite())
        && hessian.iter().flatten().all(|h| h.is_finite());
    finite.then(|| Minimum::at(log_params, (value, gradient, hessian), iterations, solver))
}

impl Minimum {
    /// The minimum at `log_params` with its value, gradient and Hessian.
    fn at(log_params: Vec<f64>, at: WithHessian, iterations: u64, solver: Solver) -> Minimum {
        let (value, gradient, hessian) = at;
        let gradient_max = gradient.iter().fold(0.0f64, |m, g| m.max(g.abs()));
        Minimum {
            log_params,
            value,
            gradient,
            hessian,
            gradient_max,
            iterations,
            solver,
        }
    }
}

fn lbfgs<O: Objective>(objective: &O, start: Vec<f64>, tolerance: f64) -> Option<Minimum> {
    let line_search = MoreThuenteLineSearch::new();
    let solver = LBFGS::new(line_search, 10)
        .with_tolerance_grad(tolerance)
        .ok()?
        .with_tolerance_cost(1e-15)
        .ok()?;
    let mut result = Executor::new(Problem::new(objective), solver)
        .configure(|state| state.param(Point(start)).max_iters(500))
        .timer(false)
        .run()
        .ok()?;
    let best = result.state.get_best_param()?.0.clone();
    // Where the search evaluated last at its best point (usually), the
    // value and gradient there are in its problem's cache.
    let known = result
        .problem
        .take_problem()
        .and_then(|p| p.last.into_inner())
        .filter(|(at, _)| *at == best)
        .and_then(|(_, evaluation)| evaluation);
    let iterations = result.state.get_iter();
    match known {
        Some((value, gradient, _)) => finish_known(
            objective,
            best,
            (value, gradient),
            iterations,
            Solver::Lbfgs,
        ),
        None => finish(
            &Problem::with_hessians(objective),
            best,
            iterations,
            Solver::Lbfgs,
        ),
    }
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
    finish(
        &Problem::with_hessians(objective),
        best,
        result.state.get_iter(),
        Solver::NelderMead,
    )
}

/// The lower Cholesky factor L (M = L Lᵀ) of a symmetric matrix; `None`
/// unless it is positive definite (or when a row is short).
pub fn cholesky(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m.get(i)?.get(i)? - s;
                if d.is_nan() || d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (m.get(i)?.get(j)? - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Symmetric matrix inverse by Cholesky; `None` unless positive definite.
pub fn inverse_positive_definite(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let l = cholesky(m)?;
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

/// Standard errors of the natural parameters p = e^θ at a minimum of the
/// mean negative log-likelihood over `n` customers: the square roots of the
/// diagonal of the inverse of the total negative log-likelihood's Hessian in
/// p, which is n·(H_θ − diag(∇_θ))ᵢⱼ / (pᵢpⱼ) (the chain rule of
/// [`log_hessian`] backwards). `None` when that Hessian is not positive
/// definite (a flat or boundary optimum, where standard errors do not exist).
pub fn standard_errors(minimum: &Minimum, n: f64) -> Option<Vec<f64>> {
    let p: Vec<f64> = minimum.log_params.iter().map(|v| v.exp_()).collect();
    let k = p.len();
    let natural: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    let diagonal = if i == j { minimum.gradient[i] } else { 0.0 };
                    n * (minimum.hessian[i][j] - diagonal) / (p[i] * p[j])
                })
                .collect()
        })
        .collect();
    let cov = inverse_positive_definite(&natural)?;
    let se: Vec<f64> = (0..k).map(|i| cov[i][i].sqrt()).collect();
    se.iter().all(|v| v.is_finite()).then_some(se)
}

/// The asymptotic covariance of the log parameters θ = ln p at a minimum
/// of the mean negative log-likelihood over `n` customers: (n·H_θ)⁻¹, H_θ
/// the Hessian in θ there. `None` unless it is positive definite.
pub fn log_covariance(minimum: &Minimum, n: f64) -> Option<Vec<Vec<f64>>> {
    let total: Vec<Vec<f64>> = minimum
        .hessian
        .iter()
        .map(|row| row.iter().map(|v| v * n).collect())
        .collect();
    inverse_positive_definite(&total)
}

/// Shared by the models' tests.
#[cfg(test)]
pub(crate) mod testing {
    /// Asserts that an analytic Hessian equals central differences of the
    /// analytic gradient at `p` (steps 1e-6 relative, agreement 1e-6 of the
    /// entry or absolute). `curvature` gives the gradient and the Hessian.
    pub(crate) fn assert_hessian_matches_gradient<const N: usize>(
        p: [f64; N],
        curvature: impl Fn(&[f64; N]) -> ([f64; N], [[f64; N]; N]),
    ) {
        let (_, h) = curvature(&p);
        for j in 0..N {
            let step = 1e-6 * p[j];
            let (mut up, mut down) = (p, p);
            up[j] += step;
            down[j] -= step;
            let (gu, _) = curvature(&up);
            let (gd, _) = curvature(&down);
            for i in 0..N {
                let numeric = (gu[i] - gd[i]) / (2.0 * step);
                let scale = h[i][j].abs().max(1.0);
                assert!(
                    (h[i][j] - numeric).abs() < 1e-6 * scale,
                    "H[{i}][{j}] = {} vs {numeric}",
                    h[i][j]
                );
            }
        }
    }
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
        fn value_gradient_hessian(&self, p: &[f64]) -> Option<WithHessian> {
            let (v, g) = self.value_and_gradient(p)?;
            let (x, y) = (p[0], p[1]);
            let h = vec![
                vec![2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x],
                vec![-400.0 * x, 200.0],
            ];
            Some((v, g, h))
        }
    }

    /// Rosenbrock with its Hessian differenced from gradients, as
    /// Pareto/NBD's is, noting every point its gradient is taken at.
    #[derive(Default)]
    struct Differenced {
        passes: std::cell::RefCell<Vec<Vec<f64>>>,
    }
    impl Objective for Differenced {
        fn value_and_gradient(&self, p: &[f64]) -> Option<(f64, Vec<f64>)> {
            self.passes.borrow_mut().push(p.to_vec());
            Rosenbrock.value_and_gradient(p)
        }
        fn value_gradient_hessian(&self, p: &[f64]) -> Option<WithHessian> {
            let (v, g) = self.value_and_gradient(p)?;
            self.hessian_at(p, v, &g)
        }
        fn hessian_at(&self, p: &[f64], value: f64, gradient: &[f64]) -> Option<WithHessian> {
            let step = 1e-7;
            let mut h = vec![vec![0.0; 2]; 2];
            for j in 0..2 {
                let mut up = p.to_vec();
                up[j] += step;
                let (_, gu) = self.value_and_gradient(&up)?;
                for i in 0..2 {
                    h[i][j] = (gu[i] - gradient[i]) / step;
                }
            }
            Some((value, gradient.to_vec(), h))
        }
    }

    #[test]
    fn quasi_newton_takes_the_gradient_at_its_end_once() {
        let objective = Differenced::default();
        let start = vec![0.99, 0.98];
        let (_, _, hessian) = Rosenbrock.value_gradient_hessian(&start).unwrap();
        let m = minimise_with_hessian(&objective, start, &hessian, 1e-9).unwrap();
        assert!((m.log_params[0] - 1.0).abs() < 1e-8, "{m:?}");
        // What it returns is what a fresh pass at its end gives...
        let fresh = Differenced::default()
            .value_gradient_hessian(&m.log_params)
            .unwrap();
        assert_eq!((m.value, m.gradient.clone(), m.hessian.clone()), fresh);
        // ...without that pass: the end's gradient was taken by the search
        // alone (before, twice more for the value and the Hessian's base).
        let at_end = objective
            .passes
            .borrow()
            .iter()
            .filter(|p| **p == m.log_params)
            .count();
        assert_eq!(at_end, 1, "{:?}", objective.passes.borrow());
    }

    #[test]
    fn newton_from_near_the_minimum_uses_the_analytic_hessian() {
        let m = minimise_near(&Rosenbrock, vec![0.99, 0.98]).unwrap();
        assert_eq!(m.solver, Solver::Newton, "{m:?}");
        assert!((m.log_params[0] - 1.0).abs() < 1e-8, "{m:?}");
        assert!((m.log_params[1] - 1.0).abs() < 1e-8, "{m:?}");
    }

    #[test]
    fn log_hessian_is_the_chain_rule() {
        // f(p) = p0² p1 at p = (2, 3): ∇ = (12, 4), H = [[6, 4], [4, 0]].
        // In θ = ln p, f = e^{2θ0+θ1}: ∂²f/∂θ0² = 4f = 48, ∂²f/∂θ0∂θ1 = 2f = 24,
        // ∂²f/∂θ1² = f = 12.
        let h = log_hessian(&[2.0, 3.0], &[12.0, 4.0], &[vec![6.0, 4.0], vec![4.0, 0.0]]);
        assert_eq!(h, vec![vec![48.0, 24.0], vec![24.0, 12.0]]);
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
