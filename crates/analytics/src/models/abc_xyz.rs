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

/// Classes of every customer with a purchase (order of `h.customers`).
pub fn abc_xyz_customers(
    h: &PurchaseHistories,
    end_day: i32,
    settings: &AbcXyzSettings,
) -> Vec<AbcXyzCustomer> {
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
    let end_month = month_index(end_day);
    let table = MonthOfDay::new(
        h.first_day.unwrap_or(end_day).min(end_day),
        h.last_day.unwrap_or(end_day).max(end_day),
    );
    let month_of = |day: i32| table.get(day);
    let mut monthly: Vec<f64> = Vec::new();
    (0..n)
        .map(|i| {
            let (days, totals) = h.purchases(i);
            let first_month = days.first().map_or(end_month, |&d| month_of(d));
            let months = (end_month - first_month + 1).max(1) as usize;
            monthly.clear();
            monthly.resize(months, 0.0);
            for (k, &d) in days.iter().enumerate() {
                let m = (month_of(d) - first_month).clamp(0, months as i64 - 1) as usize;
                monthly[m] += if h.has_amounts { totals[k] } else { 1.0 };
            }
            let cv = coefficient_of_variation(&monthly);
            let xyz = match cv {
                Some(v) if v <= settings.x_cv => Xyz::X,
                Some(v) if v <= settings.y_cv => Xyz::Y,
                _ => Xyz::Z,
            };
            AbcXyzCustomer {
                customer: h.customers[i],
                revenue: h.net_revenue[i],
                abc: abc[i],
                cv,
                xyz,
            }
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

/// The 3×3 matrix of counts and revenue.
pub fn abc_xyz_matrix(customers: &[AbcXyzCustomer], settings: &AbcXyzSettings) -> AbcXyzMatrix {
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
    for c in customers {
        let cell = &mut cells[c.abc as usize * 3 + c.xyz as usize];
        cell.customers += 1;
        cell.revenue += c.revenue;
        abc_customers[c.abc as usize] += 1;
        xyz_customers[c.xyz as usize] += 1;
        abc_revenue[c.abc as usize] += c.revenue;
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
