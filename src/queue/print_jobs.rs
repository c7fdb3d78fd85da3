//! Queries on the `print_jobs` table (owned by the printer module).
