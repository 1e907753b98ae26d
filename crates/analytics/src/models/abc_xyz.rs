//! ABC/XYZ of customers: ABC by cumulative share of revenue, XYZ by the
//! stability (coefficient of variation) of monthly purchases.
//!
//! ABC: customers sorted by net revenue (descending, ties by id); a customer
//! is A while the cumulative share of the customers before it is below the A
//! share (80%), B below A + B (95%), else C, so the customer that crosses a
//! boundary belongs to the class it completes. Shares are of the positive
//! revenue total; customers with zero or negative net revenue are always C.
//!
//! XYZ: monthly purchase value (sum of purchase amounts; purchase days when
//! the data have no amounts) over the calendar months from the customer's
//! first purchase to the observation end, months without purchases counting
//! as 0. CV = population standard deviation / mean. X: CV ≤ 10%, Y: ≤ 25%,
//! Z: above, or fewer than 2 months observed (stability unknown).

use serde::{Deserialize, Serialize};

use super::summary::{date_of, MonthOfDay, PurchaseHistories};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcXyzSettings {
    /// Cumulative revenue share of class A (0.80).
    pub a_share: f64,
    /// Revenue share of class B (0.15); C is the rest.
    pub b_share: f64,
    /// Largest CV of class X (0.10).
    pub x_cv: f64,
    /// Largest CV of class Y (0.25).
    pub y_cv: f64,
}

impl Default for AbcXyzSettings {
    fn default() -> Self {
        AbcXyzSettings {
            a_share: 0.80,
            b_share: 0.15,
            x_cv: 0.10,
            y_cv: 0.25,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Abc {
    A,
    B,
    C,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Xyz {
    X,
    Y,
    Z,
}

impl Abc {
    pub const ALL: [Abc; 3] = [Abc::A, Abc::B, Abc::C];
    pub fn letter(self) -> &'static str {
        ["A", "B", "C"][self as usize]
    }
}

impl Xyz {
    pub const ALL: [Xyz; 3] = [Xyz::X, Xyz::Y, Xyz::Z];
    pub fn letter(self) -> &'static str {
        ["X", "Y", "Z"][self as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbcXyzCustomer {
    pub customer: u32,
    pub revenue: f64,
    pub abc: Abc,
    /// `None` when fewer than 2 months are observed or the mean is 0.
    pub cv: Option<f64>,
    pub xyz: Xyz,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbcXyzCell {
    pub abc: Abc,
    pub xyz: Xyz,
    pub customers: u64,
    pub revenue: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbcXyzMatrix {
    pub settings: AbcXyzSettings,
    /// 9 cells: A-X, A-Y, A-Z, B-X, … C-Z.
    pub cells: Vec<AbcXyzCell>,
    /// Revenue share of A, B, C (of the net total; they add up to 1 when
    /// the total is not 0).
    pub abc_revenue_share: [Option<f64>; 3],
    pub abc_customers: [u64; 3],
    pub xyz_customers: [u64; 3],
}

fn month_index(day: i32) -> i64 {
    date_of(day).map_or(0, |d| {
        i64::from(chrono::Datelike::year(&d)) * 12 + i64::from(chrono::Datelike::month0(&d))
    })
}

/// One customer's classes: what the CLV analysis keeps per customer, 2
/// bytes where the [`AbcXyzCustomer`] row takes 40; the revenue and CV
/// behind them are read from the histories again when a row is asked for
/// ([`AbcXyzClasses::row`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbcXyzClasses {
    pub abc: Abc,
    pub xyz: Xyz,
}

impl AbcXyzClasses {
    /// The row of the `i`-th customer of `h` with these classes, as of `end_day`.
    pub fn row(self, h: &PurchaseHistories, i: usize, end_day: i32) -> AbcXyzCustomer {
        self.row_with(h, i, &MonthlyValues::new(h, end_day), &mut Vec::new())
    }

    fn row_with(
        self,
        h: &PurchaseHistories,
        i: usize,
        months: &MonthlyValues,
        monthly: &mut Vec<f64>,
    ) -> AbcXyzCustomer {
        AbcXyzCustomer {
            customer: h.customers[i],
            revenue: h.net_revenue[i],
            abc: self.abc,
            cv: months.cv(h, i, monthly),
            xyz: self.xyz,
        }
    }
}

/// Every customer's row (order of `h.customers`), as of `end_day`.
pub fn abc_xyz_rows(
    h: &PurchaseHistories,
    classes: &[AbcXyzClasses],
    end_day: i32,
) -> Vec<AbcXyzCustomer> {
    let months = MonthlyValues::new(h, end_day);
    let mut monthly = Vec::new();
    let rows = classes.iter().enumerate();
    rows.map(|(i, c)| c.row_with(h, i, &months, &mut monthly))
        .collect()
}

/// The calendar months from a customer's first purchase to the
/// observation end, and each one's purchase value (XYZ).
struct MonthlyValues {
    table: MonthOfDay,
    end_month: i64,
}

impl MonthlyValues {
    fn new(h: &PurchaseHistories, end_day: i32) -> MonthlyValues {
        MonthlyValues {
            table: MonthOfDay::new(
                h.first_day.unwrap_or(end_day).min(end_day),
                h.last_day.unwrap_or(end_day).max(end_day),
            ),
            end_month: month_index(end_day),
        }
    }

    /// The CV of the `i`-th customer's monthly values (`monthly`: room to
    /// reuse).
    fn cv(&self, h: &PurchaseHistories, i: usize, monthly: &mut Vec<f64>) -> Option<f64> {
        let (days, totals) = h.purchases(i);
        let first_month = days.first().map_or(self.end_month, |&d| self.table.get(d));
        let months = (self.end_month - first_month + 1).max(1) as usize;
        monthly.clear();
        monthly.resize(months, 0.0);
        for (k, &d) in days.iter().enumerate() {
            let m = (self.table.get(d) - first_month).clamp(0, months as i64 - 1) as usize;
            monthly[m] += if h.has_amounts { totals[k] } else { 1.0 };
        }
        coefficient_of_variation(monthly)
    }
}

/// Classes of every customer with a purchase (order of `h.customers`).
pub fn abc_xyz_classes(
    h: &PurchaseHistories,
    end_day: i32,
    settings: &AbcXyzSettings,
) -> Vec<AbcXyzClasses> {
    let n = h.len();
    // Net revenue descending (by `f64::total_cmp`), ties by id: ids ascend
    // with the position, so a sort of (reversed total_cmp key, position)
    // pairs gives that order without looking values up while sorting.
    let mut keyed: Vec<(i64, u32)> = h
        .net_revenue
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let bits = v.to_bits() as i64;
            let key = bits ^ (((bits >> 63) as u64) >> 1) as i64;
            (!key, i as u32)
        })
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.iter().map(|&(_, i)| i as usize).collect();
    drop(keyed);
    let positive: f64 = h.net_revenue.iter().filter(|v| **v > 0.0).sum();
    let mut abc = vec![Abc::C; n];
    let mut before = 0.0;
    for &i in &order {
        let revenue = h.net_revenue[i];
        if revenue <= 0.0 || positive <= 0.0 {
            break;
        }
        let share = before / positive;
        abc[i] = if share < settings.a_share {
            Abc::A
        } else if share < settings.a_share + settings.b_share {
            Abc::B
        } else {
            Abc::C
        };
        before += revenue;
    }
    let months = MonthlyValues::new(h, end_day);
    let mut monthly: Vec<f64> = Vec::new();
    (0..n)
        .map(|i| AbcXyzClasses {
            abc: abc[i],
            xyz: match months.cv(h, i, &mut monthly) {
                Some(v) if v <= settings.x_cv => Xyz::X,
                Some(v) if v <= settings.y_cv => Xyz::Y,
                _ => Xyz::Z,
            },
        })
        .collect()
}

/// Population CV; `None` for fewer than 2 values or a mean that is not positive.
pub fn coefficient_of_variation(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return None;
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let cv = var.sqrt() / mean;
    cv.is_finite().then_some(cv)
}

/// The 3×3 matrix of counts and revenue of `h`'s customers' classes.
pub fn abc_xyz_matrix(
    h: &PurchaseHistories,
    classes: &[AbcXyzClasses],
    settings: &AbcXyzSettings,
) -> AbcXyzMatrix {
    let mut cells: Vec<AbcXyzCell> = Abc::ALL
        .iter()
        .flat_map(|&abc| {
            Xyz::ALL.iter().map(move |&xyz| AbcXyzCell {
                abc,
                xyz,
                customers: 0,
                revenue: 0.0,
            })
        })
        .collect();
    let (mut abc_customers, mut xyz_customers) = ([0u64; 3], [0u64; 3]);
    let mut abc_revenue = [0.0f64; 3];
    for (c, &revenue) in classes.iter().zip(&h.net_revenue) {
        let cell = &mut cells[c.abc as usize * 3 + c.xyz as usize];
        cell.customers += 1;
        cell.revenue += revenue;
        abc_customers[c.abc as usize] += 1;
        xyz_customers[c.xyz as usize] += 1;
        abc_revenue[c.abc as usize] += revenue;
    }
    let total: f64 = abc_revenue.iter().sum();
    let share = |v: f64| (total != 0.0 && total.is_finite()).then(|| v / total);
    AbcXyzMatrix {
        settings: *settings,
        cells,
        abc_revenue_share: [
            share(abc_revenue[0]),
            share(abc_revenue[1]),
            share(abc_revenue[2]),
        ],
        abc_customers,
        xyz_customers,
    }
}
