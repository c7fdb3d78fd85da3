//! The cached catalogue. Only catalogues that passed [`crate::catalog`]'s checks are stored (with
//! the services left out named in `Catalog::left_out`), and a new one replaces the old in a single
//! transaction, so a bad download never leaves the kiosk without a catalogue.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError, now_rfc3339};
use crate::catalog::{Catalog, demo_catalogs};

pub use crate::catalog::CATALOG_DEFAULT_LOCALE;

/// The cached catalogue rows at one moment (see [`Store::catalog_snapshot`]).
#[derive(Debug, Clone, Default)]
pub struct CatalogSnapshot(Vec<(String, String, String, String)>);

impl Store {
    /// Replaces the cached catalogues for the given locales in one transaction.
    pub fn save_catalogs(
        &mut self,
        catalogs: &[(String, Catalog)],
        source: &str,
    ) -> Result<(), StoreError> {
        self.write_catalogs(false, catalogs, source)
    }

    /// Replaces every cached catalogue with one catalogue from the central system (or a file):
    /// translated demo copies would no longer match it. The delete and the insert are one
    /// transaction: a crash or a failed insert leaves the previous catalogue, never none, and a
    /// reader in another process sees either the old catalogue or the new one.
    pub fn replace_catalog(&mut self, catalog: &Catalog, source: &str) -> Result<(), StoreError> {
        self.write_catalogs(
            true,
            &[(CATALOG_DEFAULT_LOCALE.to_string(), catalog.clone())],
            source,
        )
    }

    fn write_catalogs(
        &mut self,
        replace_all: bool,
        catalogs: &[(String, Catalog)],
        source: &str,
    ) -> Result<(), StoreError> {
        let documents = catalogs
            .iter()
            .map(|(locale, catalog)| {
                serde_json::to_string(catalog)
                    .map(|document| (locale, document))
                    .map_err(|e| StoreError::Corrupt {
                        what: "catalogue".into(),
                        detail: e.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let result = (|| -> Result<(), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            if replace_all {
                tx.execute("DELETE FROM catalogs", [])?;
            }
            let now = now_rfc3339();
            for (locale, document) in &documents {
                tx.execute(
                    "INSERT INTO catalogs (locale, document, source, updated_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (locale) DO UPDATE SET document = excluded.document,
                         source = excluded.source, updated_at = excluded.updated_at",
                    params![locale, document, source, now],
                )?;
            }
            tx.commit()?;
            Ok(())
        })();
        self.map_store_error(result)
    }

    /// The catalogue to show in `locale`: its own translation, else the central one, else any.
    /// `None` when nothing is cached.
    pub fn catalog_for(&self, locale: &str) -> Result<Option<Catalog>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT locale, document FROM catalogs
                 ORDER BY (locale = ?1) DESC, (locale = '') DESC, (locale = 'en') DESC, locale
                 LIMIT 1",
                [locale],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(loc, doc)| {
            serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt {
                what: format!("cached catalogue {loc:?}"),
                detail: e.to_string(),
            })
        })
        .transpose()
    }

    /// Where the cached catalogue came from and when, if any.
    pub fn catalog_info(&self) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT source, max(updated_at) FROM catalogs GROUP BY source ORDER BY 2 DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Every cached catalogue row as stored (locale, document, source, updated_at), to put back
    /// with [`Store::restore_catalog_snapshot`] (`catalog refresh --strict`).
    pub fn catalog_snapshot(&self) -> Result<CatalogSnapshot, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT locale, document, source, updated_at FROM catalogs ORDER BY locale")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CatalogSnapshot(rows))
    }

    /// Puts back what [`Store::catalog_snapshot`] saw, in one transaction.
    pub fn restore_catalog_snapshot(&self, snapshot: &CatalogSnapshot) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM catalogs", [])?;
        for (locale, document, source, updated_at) in &snapshot.0 {
            tx.execute(
                "INSERT INTO catalogs (locale, document, source, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![locale, document, source, updated_at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Seeds the embedded demo catalogue when nothing is cached yet.
    pub fn ensure_demo_catalog(&mut self) -> Result<(), StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM catalogs", [], |r| r.get(0))?;
        if count == 0 {
            self.save_catalogs(&demo_catalogs(), "demo")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::tests::tempdir;

    #[test]
    fn demo_is_seeded_per_language_and_replaced_by_central() {
        let mut store = Store::open(&tempdir()).unwrap();
        assert!(store.catalog_for("fr").unwrap().is_none());
        store.ensure_demo_catalog().unwrap();
        let fr = store.catalog_for("fr").unwrap().unwrap();
        let en = store.catalog_for("en").unwrap().unwrap();
        assert_eq!(fr.services.len(), en.services.len());
        assert_ne!(fr.services[0].service_name, en.services[0].service_name);
        // An unknown language falls back to English.
        assert_eq!(store.catalog_for("xx").unwrap().unwrap(), en);
        let mut central = en.clone();
        central.services.truncate(1);
        store.replace_catalog(&central, "file").unwrap();
        assert_eq!(store.catalog_for("fr").unwrap().unwrap(), central);
        assert_eq!(store.catalog_info().unwrap().unwrap().0, "file");
    }

    #[test]
    fn a_failed_replacement_leaves_the_previous_catalogue_whole() {
        let mut store = Store::open(&tempdir()).unwrap();
        store.ensure_demo_catalog().unwrap();
        let before = store.catalog_for("en").unwrap().unwrap();
        // Make the insert half of the replacement fail, after its delete has run.
        store
            .connection()
            .execute_batch(
                "CREATE TRIGGER refuse_insert BEFORE INSERT ON catalogs
                 BEGIN SELECT RAISE(ABORT, 'insert refused by the test'); END;",
            )
            .unwrap();
        let mut central = before.clone();
        central.services.truncate(1);
        let err = store.replace_catalog(&central, "file").unwrap_err();
        assert!(err.to_string().contains("insert refused"), "{err}");
        assert_eq!(store.catalog_for("en").unwrap().unwrap(), before);
        assert_eq!(store.catalog_info().unwrap().unwrap().0, "demo");
        // And once inserts work again, the replacement goes through whole.
        store
            .connection()
            .execute_batch("DROP TRIGGER refuse_insert;")
            .unwrap();
        store.replace_catalog(&central, "file").unwrap();
        assert_eq!(store.catalog_for("fr").unwrap().unwrap(), central);
    }
}
