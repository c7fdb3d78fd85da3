//! The audit trail: who did what to which reference, and when. Never a resident's answers: the
//! `detail` is written by Guichet itself (counts, key ids, states), not copied from a form.

use rusqlite::{Connection, params};

use super::{Store, StoreError, now_rfc3339};

/// Appends one audit line inside whatever transaction `conn` is in (a `Transaction` derefs to a
/// `Connection`), so the action and its audit line commit together.
pub(crate) fn audit_in(
    conn: &Connection,
    actor: &str,
    action: &str,
    reference: Option<&str>,
    detail: &str,
) -> rusqlite::Result<()> {
    audit_at(conn, &now_rfc3339(), actor, action, reference, detail)
}

/// [`audit_in`] with an explicit time (retention runs at a given `now`).
pub(crate) fn audit_at(
    conn: &Connection,
    at: &str,
    actor: &str,
    action: &str,
    reference: Option<&str>,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, reference, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![at, actor, action, reference, detail],
    )?;
    Ok(())
}

impl Store {
    /// Records a staff action in the audit trail.
    pub fn audit(
        &self,
        actor: &str,
        action: &str,
        reference: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        audit_in(&self.conn, actor, action, reference, detail)?;
        Ok(())
    }
}
