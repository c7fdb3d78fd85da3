//! Queries that move submissions through delivery (owned by the sync module).
