//! Segment columns: the extra text columns of a file (region, channel, plan,
//! airline...) that split every figure. Any column without a role whose
//! values repeat (each label on ten rows or more on average, at most
//! [`MAX_SEGMENT_LABELS`] labels) is one; columns of names, product
//! descriptions or ids are not.
//!
//! The dataset keeps them (`dataset::segments`); the reader collects them
//! (`ingest`). This module names them where they have always been.

pub use crate::dataset::segments::{
    SegmentColumn, Segments, MAX_NUMERIC_LABELS, MAX_SEGMENT_LABELS, MIN_ROWS_PER_LABEL, NO_SEGMENT,
};
