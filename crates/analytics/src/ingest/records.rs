//! Turning one checked record into typed rows, per record kind. Each reader
//! either appends to the dataset or says why the row cannot be used.

use chrono::NaiveDate;

use super::segments::SegmentCollector;
use super::values::{parse_amount_with, parse_flag, status_means_churned, DateFormat};
use super::{RecordKind, RejectReason, Role, Table};
use crate::dataset::segments::FileSegment;
use crate::dataset::{CustomerRecord, CustomerSummary, NpsScore, SurveyAnswer};
use crate::float_key::exact_sum;
use crate::Dataset;

use super::slices::{BlankedCells, SliceRead, SliceTally};

/// Why a record was not used: the reason, the column and its value.
pub(crate) struct Rejection {
    pub reason: RejectReason,
    pub column: String,
    pub value: String,
}

/// Where a transaction's value comes from.
#[derive(Clone, Copy)]
enum AmountSource {
    None,
    Column(usize),
    /// UCI Online Retail and most order-line exports: quantity x unit price.
    QuantityTimesPrice(usize, usize),
}

pub(crate) struct Reader<'a, 't> {
    table: &'a Table<'t>,
    dataset: &'a mut Dataset,
    amount: AmountSource,
    returns: u64,
    returns_value: Vec<f64>,
    /// Per interned customer id: seen on a used row of this file.
    seen: Vec<bool>,
    segments: SegmentCollector,
    /// The line of the record being read, for the notes below.
    pub line: u64,
    /// Cells of optional columns that could not be read and were left
    /// blank, per column: how many, and the first (line, value).
    blanked: Vec<(usize, u64, u64, String)>,
    /// Rows of a first/last/count summary, made into BTYD summaries once the
    /// file's last date (the observation end) is known.
    first_last: Vec<FirstLastCount>,
}

/// One customer's row of a first/last/count summary.
struct FirstLastCount {
    customer: u32,
    first: NaiveDate,
    last: NaiveDate,
    purchases: f64,
    spend: Option<f64>,
}

impl<'a, 't> Reader<'a, 't> {
    pub fn new(table: &'a Table<'t>, dataset: &'a mut Dataset) -> Self {
        let amount = match (
            table.column(Role::Amount),
            table.column(Role::Quantity),
            table.column(Role::UnitPrice),
        ) {
            (Some(a), _, _) => AmountSource::Column(a),
            (None, Some(q), Some(p)) => AmountSource::QuantityTimesPrice(q, p),
            _ => AmountSource::None,
        };
        Reader {
            table,
            dataset,
            amount,
            returns: 0,
            returns_value: Vec::new(),
            seen: Vec::new(),
            line: 0,
            blanked: Vec::new(),
            first_last: Vec::new(),
            // Without a header a column has no name a reader could compare by.
            segments: SegmentCollector::new(
                table
                    .roles
                    .iter()
                    .zip(&table.names)
                    .enumerate()
                    .filter(|(_, (role, _))| table.has_header && role.is_none())
                    .map(|(c, (_, name))| (c, name.clone())),
            ),
        }
    }

    /// Used transaction rows with a negative amount, and their total.
    pub fn returns(&self) -> (u64, f64) {
        (self.returns, exact_sum(self.returns_value.iter().copied()))
    }

    /// Distinct customer ids of the used rows, sorted.
    pub fn customer_ids(&mut self) -> Vec<u32> {
        let seen = std::mem::take(&mut self.seen);
        (0..seen.len() as u32)
            .filter(|&id| seen[id as usize])
            .collect()
    }

    fn saw(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.seen.len() {
            let len = (i + 1).max(self.dataset.customers.len());
            self.seen.resize(len, false);
        }
        self.seen[i] = true;
    }

    /// The notes on cells left blank, once the file is done.
    pub fn take_notes(&mut self) -> Vec<super::FileNote> {
        let mut blanked = std::mem::take(&mut self.blanked);
        blanked.sort_by_key(|b| b.0);
        blanked
            .into_iter()
            .map(|(c, count, line, value)| super::FileNote::CellsLeftBlank {
                column: self.table.names[c].clone(),
                role: self.table.roles[c].unwrap_or(Role::Value),
                count,
                line,
                value: super::clip(&value),
            })
            .collect()
    }

    /// An optional cell that could not be read: the row stays, the cell is
    /// left blank and counted.
    fn leave_blank(&mut self, column: usize, raw: &str) {
        match self.blanked.iter_mut().find(|b| b.0 == column) {
            Some(b) => b.1 += 1,
            None => self.blanked.push((column, 1, self.line, raw.to_string())),
        }
    }

    /// An optional number: `None` when blank, a placeholder ("-", "n/a")
    /// or unreadable (then counted, see [`Reader::leave_blank`]).
    fn optional_number(&mut self, fields: &[&str], role: Role) -> Option<f64> {
        let (c, raw) = self.non_blank(fields, role)?;
        let value = self.amount_of(raw);
        if value.is_none() && !super::roles::is_placeholder(raw) {
            self.leave_blank(c, raw);
        }
        value
    }

    /// An optional 0-10 score, as [`Reader::optional_number`].
    fn optional_nps(&mut self, fields: &[&str]) -> Option<NpsScore> {
        let (c, raw) = self.non_blank(fields, Role::NpsScore)?;
        let score = NpsScore::try_from(raw).ok();
        if score.is_none() && !super::roles::is_placeholder(raw) {
            self.leave_blank(c, raw);
        }
        score
    }

    /// The segment columns of the rows read, once the file is done.
    pub fn take_segments(&mut self) -> Vec<FileSegment> {
        std::mem::replace(&mut self.segments, SegmentCollector::new([])).finish()
    }

    pub fn read(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        match self.table.kind {
            RecordKind::Transactions => self.transaction(fields),
            RecordKind::SurveyAnswers => self.survey_answer(fields),
            RecordKind::Customers => self.customer(fields),
            RecordKind::Summary => self.summary(fields),
        }?;
        self.segments.record(fields);
        Ok(())
    }

    fn rejection(&self, reason: RejectReason, column: usize, value: &str) -> Rejection {
        Rejection {
            reason,
            column: self.table.names[column].clone(),
            value: value.to_string(),
        }
    }

    /// The trimmed cell of `role`'s column: `None` without such a column,
    /// `Some("")` when the cell is blank or missing.
    fn cell<'f>(&self, fields: &[&'f str], role: Role) -> Option<(usize, &'f str)> {
        self.table
            .column(role)
            .map(|c| (c, fields.get(c).map_or("", |f| super::text::trim(f))))
    }

    fn non_blank<'f>(&self, fields: &[&'f str], role: Role) -> Option<(usize, &'f str)> {
        self.cell(fields, role).filter(|(_, v)| !v.is_empty())
    }

    fn date(&self, fields: &[&str], role: Role) -> Result<Option<NaiveDate>, Rejection> {
        let Some((c, raw)) = self.non_blank(fields, role) else {
            return Ok(None);
        };
        if let Some(&(_, month)) = self.table.year_month.iter().find(|(y, _)| *y == c) {
            // A year, and its month from the sibling column (January without one).
            let whole = |v: &str| {
                parse_amount_with(v, self.table.decimal_mark).filter(|n| n.fract() == 0.0)
            };
            let month = match month.map(|m| fields.get(m).map_or("", |f| super::text::trim(f))) {
                None | Some("") => Some(1.0),
                Some(m) => whole(m),
            };
            return whole(raw)
                .zip(month)
                .and_then(|(y, m)| NaiveDate::from_ymd_opt(y as i32, m as u32, 1))
                .filter(|d| (1900..=2100).contains(&chrono::Datelike::year(d)))
                .map(Some)
                .ok_or_else(|| self.rejection(RejectReason::UnreadableDate, c, raw));
        }
        self.table.date_formats[c]
            .and_then(|f: DateFormat| f.parse(raw))
            .map(Some)
            .ok_or_else(|| self.rejection(RejectReason::UnreadableDate, c, raw))
    }

    fn number(
        &self,
        fields: &[&str],
        role: Role,
        reason: RejectReason,
    ) -> Result<Option<f64>, Rejection> {
        match self.non_blank(fields, role) {
            None => Ok(None),
            Some((c, raw)) => self
                .amount_of(raw)
                .map(Some)
                .ok_or_else(|| self.rejection(reason, c, raw)),
        }
    }

    /// A number with the file's decimal mark (detected per value unless the user chose).
    fn amount_of(&self, raw: &str) -> Option<f64> {
        parse_amount_with(raw, self.table.decimal_mark)
    }

    /// A text cell; placeholders ("NA", "None", "-", "n/a") are no text.
    fn text(&self, fields: &[&str], role: Role) -> Option<String> {
        self.non_blank(fields, role)
            .filter(|(_, v)| !super::roles::is_placeholder(v))
            .map(|(_, v)| v.to_string())
    }

    fn flag(&self, fields: &[&str], role: Role) -> Option<bool> {
        self.non_blank(fields, role)
            .and_then(|(_, v)| parse_flag(v))
    }

    /// Fetches the table slots of a block's customer ids side by side
    /// before its records are read one by one. From a few hundred thousand
    /// customers on the interner's table is larger than the cache, and each row's
    /// lookup waited for memory in turn (92% of the interning at 20M rows,
    /// `perf annotate`); looked up together, the waits overlap.
    pub fn look_ahead(&self, block: &[super::layout::Record<'_>]) {
        let customers = &self.dataset.customers;
        if block.len() < 2 || !customers.larger_than_cache() || !self.table.id_parts.is_empty() {
            return;
        }
        if let Some(c) = self.table.column(Role::CustomerId) {
            for r in block {
                if let Some(id) = r.fields.get(c) {
                    customers.prefetch(super::text::trim(id));
                }
            }
        }
    }

    fn customer_id(&mut self, fields: &[&str]) -> Result<Option<u32>, Rejection> {
        match self.table.customer_id(fields) {
            None => Ok(None),
            Some(id) if id.is_empty() => Err(Rejection {
                reason: RejectReason::MissingCustomerId,
                column: self.table.id_name.clone(),
                value: String::new(),
            }),
            Some(id) => {
                let id = self.dataset.customers.intern(&id);
                self.saw(id);
                Ok(Some(id))
            }
        }
    }

    fn transaction(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        let customer = self.customer_id(fields)?.unwrap_or_default();
        let day = match self.non_blank(fields, Role::Date) {
            Some((c, raw)) => self.table.date_formats[c]
                .and_then(|f: DateFormat| f.parse_day(raw))
                .ok_or_else(|| self.rejection(RejectReason::UnreadableDate, c, raw))?,
            None => {
                let c = self.table.column(Role::Date).unwrap_or(0);
                return Err(self.rejection(RejectReason::UnreadableDate, c, ""));
            }
        };
        let number = |c: usize| {
            let raw = fields[c];
            self.amount_of(raw)
                .ok_or_else(|| self.rejection(RejectReason::UnreadableAmount, c, raw))
        };
        let amount = match self.amount {
            AmountSource::None => None,
            AmountSource::Column(a) => Some(number(a)?),
            AmountSource::QuantityTimesPrice(q, p) => Some(number(q)? * number(p)?),
        };
        if let Some(value) = amount.filter(|a| *a < 0.0) {
            self.returns += 1;
            self.returns_value.push(value);
        }
        let order = self
            .non_blank(fields, Role::OrderId)
            .map(|(_, o)| self.dataset.orders.intern(o));
        self.dataset
            .transactions
            .push_day(customer, day, amount, order);
        Ok(())
    }

    fn survey_answer(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        // Only a row without any readable score is rejected; a bad score
        // beside a good one is left blank (and counted).
        let nps_cell = self.non_blank(fields, Role::NpsScore);
        let csat_cell = self.non_blank(fields, Role::Csat);
        let ces_cell = self.non_blank(fields, Role::Ces);
        let nps = nps_cell.and_then(|(_, raw)| NpsScore::try_from(raw).ok());
        let csat = csat_cell.and_then(|(_, raw)| self.amount_of(raw));
        let ces = ces_cell.and_then(|(_, raw)| self.amount_of(raw));
        let cells = [
            (nps_cell, nps.is_some()),
            (csat_cell, csat.is_some()),
            (ces_cell, ces.is_some()),
        ];
        if nps.is_none() && csat.is_none() && ces.is_none() {
            return Err(match cells.iter().find_map(|(cell, _)| *cell) {
                Some((c, raw)) => self.rejection(RejectReason::ScoreOutOfRange, c, raw),
                None => {
                    let c = [Role::NpsScore, Role::Csat, Role::Ces]
                        .iter()
                        .find_map(|&r| self.table.column(r))
                        .unwrap_or(0);
                    self.rejection(RejectReason::MissingScore, c, "")
                }
            });
        }
        for (cell, read) in cells {
            if let Some((c, raw)) = cell.filter(|_| !read) {
                if !super::roles::is_placeholder(raw) {
                    self.leave_blank(c, raw);
                }
            }
        }
        let date = self.date(fields, Role::Date)?;
        let customer = match self.table.customer_id(fields).filter(|id| !id.is_empty()) {
            Some(id) => {
                let id = self.dataset.customers.intern(&id);
                self.saw(id);
                Some(id)
            }
            None => None,
        };
        let answer = SurveyAnswer {
            customer,
            date,
            nps,
            csat,
            ces,
            comment: self.text(fields, Role::Comment),
            had_problem: self.flag(fields, Role::HadProblem),
        };
        self.dataset.survey_answers.push(answer);
        Ok(())
    }

    fn customer(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        let start = self.date(fields, Role::StartDate)?;
        let end = self.date(fields, Role::EndDate)?;
        let years = if self.table.tenure_in_years {
            12.0
        } else {
            1.0
        };
        let tenure_months = self
            .optional_number(fields, Role::TenureMonths)
            .map(|t| t * years);
        let value = self.optional_number(fields, Role::Value);
        let csat = self.optional_number(fields, Role::Csat);
        let nps = self.optional_nps(fields);
        let ces = self.optional_number(fields, Role::Ces);
        let status = self.text(fields, Role::Status);
        // The flag says it plainly (yes/no, or a label such as "Attrited
        // Customer"); else the status text; else an end date column, where
        // a blank end means the customer is still here.
        let churned = self
            .non_blank(fields, Role::Churned)
            .and_then(|(_, v)| parse_flag(v).or_else(|| status_means_churned(v)))
            .or_else(|| status.as_deref().and_then(status_means_churned))
            .or_else(|| self.table.column(Role::EndDate).map(|_| end.is_some()));
        let customer = self.customer_id(fields)?;
        let had_problem = self.flag(fields, Role::HadProblem);
        // A customers list's scores are survey answers too: CSAT and NPS
        // come from them as from a survey export.
        if nps.is_some() || csat.is_some() || ces.is_some() {
            let answer = SurveyAnswer {
                customer,
                date: None,
                nps,
                csat,
                ces,
                comment: self.text(fields, Role::Comment),
                had_problem,
            };
            self.dataset.survey_answers.push(answer);
        }
        let record = CustomerRecord {
            customer,
            start,
            end,
            tenure_months,
            churned,
            status,
            reason: self.text(fields, Role::ChurnReason),
            category: self.text(fields, Role::ChurnCategory),
            value,
            csat,
            had_problem,
        };
        self.dataset.customer_records.push(record);
        Ok(())
    }

    fn summary(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        if self.table.column(Role::FirstPurchase).is_some() {
            return self.first_last_count(fields);
        }
        let required = |role: Role| -> Result<f64, Rejection> {
            let (c, raw) = self.cell(fields, role).unwrap_or((0, ""));
            self.amount_of(raw)
                .filter(|v| *v >= 0.0)
                .ok_or_else(|| self.rejection(RejectReason::UnreadableNumber, c, raw))
        };
        let frequency = required(Role::Frequency)?;
        let recency = required(Role::Recency)?;
        let t = required(Role::T)?;
        let monetary_value =
            self.number(fields, Role::MonetaryValue, RejectReason::UnreadableNumber)?;
        let customer = self.customer_id(fields)?.unwrap_or_default();
        self.dataset.summaries.push(CustomerSummary {
            customer,
            frequency,
            recency,
            t,
            monetary_value,
        });
        Ok(())
    }

    /// A row of first purchase, last purchase and number of purchases (and
    /// perhaps total spend): kept until the file's last date is known.
    fn first_last_count(&mut self, fields: &[&str]) -> Result<(), Rejection> {
        let required_date = |this: &Self, role: Role| -> Result<NaiveDate, Rejection> {
            let c = this.table.column(role).unwrap_or(0);
            this.date(fields, role)?
                .ok_or_else(|| this.rejection(RejectReason::UnreadableDate, c, ""))
        };
        let first = required_date(self, Role::FirstPurchase)?;
        let last = required_date(self, Role::LastPurchase)?;
        let (c, raw) = self.cell(fields, Role::PurchaseCount).unwrap_or((0, ""));
        let purchases = self
            .amount_of(raw)
            .filter(|n| *n >= 1.0 && n.fract() == 0.0)
            .ok_or_else(|| self.rejection(RejectReason::UnreadableNumber, c, raw))?;
        if last < first {
            let c = self.table.column(Role::LastPurchase).unwrap_or(0);
            let raw = fields.get(c).copied().unwrap_or("");
            return Err(self.rejection(RejectReason::UnreadableDate, c, raw));
        }
        let spend = self.optional_number(fields, Role::TotalSpend);
        let customer = self.customer_id(fields)?.unwrap_or_default();
        self.first_last.push(FirstLastCount {
            customer,
            first,
            last,
            purchases,
            spend,
        });
        Ok(())
    }

    /// The dataset the rows went to, once the reading is done.
    pub fn into_dataset(self) -> &'a mut Dataset {
        self.dataset
    }

    /// What a slice read apart counted beside its rows (its ids its own,
    /// its lines from its first): returns, ids seen, cells left blank and
    /// segment columns. Slices are transactions only, so there are no
    /// first/last/count rows.
    pub fn into_tally(mut self) -> SliceTally {
        let (returns, _) = self.returns();
        SliceTally {
            returns,
            returns_value: std::mem::take(&mut self.returns_value),
            seen: self.customer_ids(),
            blanked: std::mem::take(&mut self.blanked)
                .into_iter()
                .map(|(column, count, line, value)| BlankedCells {
                    column,
                    count,
                    line,
                    value,
                })
                .collect(),
            segments: self.segments.into_candidates(),
            ..SliceTally::default()
        }
    }

    /// Joins the rows and counts of a slice read apart that follows those
    /// read so far: its ids are interned here in the order it met them
    /// (which is the order reading the file whole meets the new ones), its
    /// lines shifted by `lines_before`.
    pub fn join(&mut self, slice: SliceRead, lines_before: u64) {
        let customers = self.dataset.customers.intern_all(slice.customers.iter());
        let orders = self.dataset.orders.intern_all(slice.orders.iter());
        for &id in &slice.tally.seen {
            self.saw(customers[id as usize]);
        }
        self.dataset
            .transactions
            .append_mapped(&slice.transactions, &customers, &orders);
        let tally = slice.tally;
        self.returns += tally.returns;
        self.returns_value.extend(tally.returns_value);
        for b in tally.blanked {
            match self.blanked.iter_mut().find(|(c, ..)| *c == b.column) {
                Some(known) => known.1 += b.count,
                None => self
                    .blanked
                    .push((b.column, b.count, b.line + lines_before, b.value)),
            }
        }
        self.segments.join(tally.segments);
    }

    /// The first/last/count rows as BTYD summaries, in weeks (the CLV's
    /// default unit), observed until the file's last purchase:
    /// frequency = purchases - 1, recency = last - first, T = end - first;
    /// the average purchase (spend / purchases) stands in for the repeat
    /// purchases' average that lifetimes' `monetary_value` holds.
    pub fn finish_summaries(&mut self) {
        let rows = std::mem::take(&mut self.first_last);
        let Some(end) = rows.iter().map(|r| r.last).max() else {
            return;
        };
        let weeks = |a: NaiveDate, b: NaiveDate| (b - a).num_days() as f64 / 7.0;
        self.dataset.summaries.extend(rows.into_iter().map(|r| {
            CustomerSummary {
                customer: r.customer,
                frequency: r.purchases - 1.0,
                recency: weeks(r.first, r.last),
                t: weeks(r.first, end),
                monetary_value: r
                    .spend
                    .filter(|_| r.purchases >= 2.0)
                    .map(|s| s / r.purchases),
            }
        }));
    }
}
