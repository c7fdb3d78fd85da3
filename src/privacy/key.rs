//! The data key: 32 random bytes and an 8-byte id in a 0600 file outside the database.
//!
//! File format (one line, so a technician can see what it is, and nothing else):
//! `guichet-data-key-v1 <id: 16 hex> <key: 64 hex>`.
//!
//! The database records the id of the key its payloads are sealed under (`kiosk_state`
//! `privacy.key_id`). Opening a database with another key is refused rather than silently
//! starting a new key, because that would leave every queued submission unreadable and
//! undeliverable. During a rotation the new key waits in `<key_file>.next` until the re-sealing
//! transaction has committed; whichever of the two files matches the database is the key.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore;
use zeroize::Zeroizing;

const HEADER: &str = "guichet-data-key-v1";

/// The name of the systemd credential holding the data key (`LoadCredentialEncrypted=
/// guichet-data-key:…` in the unit's drop-in, `kiosk-image/data-key-credential.conf`). Where the
/// machine has a TPM, the key file is sealed to it with `systemd-creds encrypt --with-key=tpm2`
/// and kept only in that sealed form on disk; systemd decrypts it at start into the service's
/// private, read-only `$CREDENTIALS_DIRECTORY`, where the kiosk reads it like any key file. Without
/// the credential, the plain 0600 key file remains (`privacy.key_file`).
pub const CREDENTIAL_NAME: &str = "guichet-data-key";

/// What the kiosk's drop-in passes as the credential when there is no sealed key to load
/// (`SetCredential=guichet-data-key:not-sealed`: systemd's fallback for a `LoadCredentialEncrypted=`
/// whose file does not exist, e.g. a `--sealed-key` image on a machine whose TPM could not seal).
/// It means "no credential": the plain key file is used.
pub const NOT_SEALED: &str = "not-sealed";

/// Where `seal-data-key` keeps the data key sealed to the TPM, unless `privacy.sealed_key_file`
/// says otherwise. Where it exists, a missing plain key file is never made up (see
/// [`KeyError::Sealed`]).
pub const DEFAULT_SEALED_KEY_FILE: &str = "/var/lib/guichet-credstore/guichet-data-key.cred";

/// The data key as a systemd credential of this process (`$CREDENTIALS_DIRECTORY/guichet-data-key`),
/// when systemd passed one: it takes the place of `privacy.key_file`. The [`NOT_SEALED`] stand-in
/// is no credential.
pub fn credential_key_file() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CREDENTIALS_DIRECTORY")?);
    let path = dir.join(CREDENTIAL_NAME);
    if !dir.is_absolute() || !path.is_file() {
        return None;
    }
    let mut head = Vec::with_capacity(16);
    let read = File::open(&path).and_then(|f| f.take(16).read_to_end(&mut head));
    if read.is_ok() && head.trim_ascii() == NOT_SEALED.as_bytes() {
        return None;
    }
    Some(path)
}

/// Whether `key_file` is a systemd credential (read-only: it cannot be created or rotated here).
pub fn is_credential(key_file: &Path) -> bool {
    credential_key_file().is_some_and(|c| c == key_file)
}
/// A key file is one short line; anything longer is not ours.
const MAX_KEY_FILE_BYTES: u64 = 256;

/// Identifies a key without revealing it (random, stored beside it and in every envelope).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// Lower-case hex, as stored.
    pub fn to_hex(self) -> String {
        hex(&self.0)
    }

    /// Parses 16 hex digits.
    pub fn from_hex(s: &str) -> Option<KeyId> {
        let mut id = [0u8; 8];
        unhex(s, &mut id)?;
        Some(KeyId(id))
    }
}

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::fmt::Debug for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A data key. Its bytes are wiped from memory when dropped and never printed.
#[derive(Clone)]
pub struct DataKey {
    id: KeyId,
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({}, <redacted>)", self.id)
    }
}

impl DataKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> DataKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        let mut id = [0u8; 8];
        OsRng.fill_bytes(&mut id);
        DataKey {
            id: KeyId(id),
            bytes,
        }
    }

    /// This key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    fn to_line(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{HEADER} {} {}\n",
            self.id.to_hex(),
            hex(self.bytes.as_ref())
        ))
    }

    fn parse(path: &Path, text: &str) -> Result<DataKey, KeyError> {
        let bad = |why: &str| KeyError::Malformed {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        let mut parts = text.split_ascii_whitespace();
        if parts.next() != Some(HEADER) {
            return Err(bad("it does not start with guichet-data-key-v1"));
        }
        let id = parts
            .next()
            .and_then(KeyId::from_hex)
            .ok_or_else(|| bad("the key id is not 16 hex digits"))?;
        let mut bytes = Zeroizing::new([0u8; 32]);
        parts
            .next()
            .and_then(|k| unhex(k, bytes.as_mut()))
            .ok_or_else(|| bad("the key is not 64 hex digits"))?;
        if parts.next().is_some() {
            return Err(bad("it has more than one line"));
        }
        Ok(DataKey { id, bytes })
    }
}

/// What can go wrong with the key file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the key file failed.
    #[error("data key file {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Group or others may read the key file.
    #[error(
        "data key file {path} is accessible to other users (mode {mode:o}); run `chmod 600 {path}`"
    )]
    Exposed {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Not a key file.
    #[error("data key file {path} is not a guichet data key: {why}")]
    Malformed {
        /// The key file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The database is sealed under a key that is not there.
    #[error(
        "data key file {path} is missing, and the database is sealed under key {expected}: restore that key file (see SECURITY.md); nothing was changed"
    )]
    Missing {
        /// The key file.
        path: PathBuf,
        /// The key the database needs.
        expected: KeyId,
    },
    /// The plain key file does not exist, and the data key is sealed to the TPM: a command run
    /// outside the kiosk's unit, without the credential. Making a plain key then would seal new
    /// data under a key the kiosk never gets (and leave a plain key on the disk); for a database
    /// already sealed, "the key file is missing" would send the technician the wrong way.
    #[error(
        "data key file {path} does not exist and the data key is sealed to this machine's TPM ({sealed}): run the command with the credential guichet-data-key (see kiosk-image/README.md, \"The data key\"); no plain key was made"
    )]
    Sealed {
        /// The plain key file.
        path: PathBuf,
        /// The sealed credential.
        sealed: PathBuf,
    },
    /// The key file holds another key than the database's.
    #[error(
        "data key file {path} holds key {found}, but the database is sealed under key {expected}: restore the right key file (see SECURITY.md); nothing was changed"
    )]
    Mismatch {
        /// The key file.
        path: PathBuf,
        /// The key in the file.
        found: KeyId,
        /// The key the database needs.
        expected: KeyId,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where a rotation parks the new key until its transaction has committed.
pub fn next_key_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".next");
    PathBuf::from(name)
}

/// Reads a key file, refusing one that others may read.
pub fn read_key_file(path: &Path) -> Result<DataKey, KeyError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let meta = file.metadata().map_err(io_err(path))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Exposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    if meta.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyError::Malformed {
            path: path.to_path_buf(),
            why: format!("it is {} bytes long", meta.len()),
        });
    }
    let mut text = Zeroizing::new(String::new());
    (&mut file)
        .take(MAX_KEY_FILE_BYTES)
        .read_to_string(&mut text)
        .map_err(io_err(path))?;
    DataKey::parse(path, &text)
}

/// Writes `key` to `path` with mode 0600, durably. Fails if `path` exists unless `replace`.
pub fn write_key_file(path: &Path, key: &DataKey, replace: bool) -> Result<(), KeyError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    // Written beside the target, then linked (create) or renamed (replace) into place, so a
    // reader never sees half a key and two first runs racing end up with one key.
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(format!(
        ".tmp-{}-{:08x}",
        std::process::id(),
        OsRng.next_u32()
    ));
    let tmp = PathBuf::from(tmp_name);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        file.write_all(key.to_line().as_bytes())
            .map_err(io_err(&tmp))?;
        file.sync_all().map_err(io_err(&tmp))?;
        if replace {
            std::fs::rename(&tmp, path).map_err(io_err(path))
        } else {
            std::fs::hard_link(&tmp, path).map_err(io_err(path))
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result?;
    // The new directory entry must survive a power cut as surely as the database commit that
    // relies on it.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Reads the key file, creating it (0600) with a fresh key when it does not exist yet, unless
/// the data key is sealed to the TPM in `sealed` (a file that exists): then nothing is created.
pub fn load_or_create(path: &Path, sealed: Option<&Path>) -> Result<DataKey, KeyError> {
    match read_key_file(path) {
        Err(KeyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            // A folder the process may not search (root's 0700 credstore) cannot tell: only a
            // sealed key known to exist stops the plain one.
            if let Some(sealed) = sealed.filter(|s| s.try_exists().unwrap_or(false)) {
                return Err(KeyError::Sealed {
                    path: path.to_path_buf(),
                    sealed: sealed.to_path_buf(),
                });
            }
            let key = DataKey::generate();
            match write_key_file(path, &key, false) {
                Ok(()) => {
                    tracing::info!("created data key {} in {}", key.id(), path.display());
                    Ok(key)
                }
                // Another process created it first: use theirs.
                Err(KeyError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::AlreadyExists =>
                {
                    read_key_file(path)
                }
                Err(e) => Err(e),
            }
        }
        other => other,
    }
}

/// The key whose id a database records (`expected`, read by the store), found in `key_file` or,
/// when a rotation stopped between its commit and its rename, in `<key_file>.next` (the rename is
/// then finished here). A database without a key id yet (new, or written by a version that did
/// not seal) gets the key file's key, created if needed (not where a key is `sealed`, see
/// [`load_or_create`]).
pub fn load_for_id(
    expected: Option<KeyId>,
    key_file: &Path,
    sealed: Option<&Path>,
) -> Result<DataKey, KeyError> {
    let Some(expected) = expected else {
        return load_or_create(key_file, sealed);
    };
    let next = next_key_path(key_file);
    let current = read_key_file(key_file);
    if let Ok(key) = &current
        && key.id() == expected
    {
        // `.next`, if any, is left alone: it may be a rotation's new key, written under the
        // write lock and about to be committed (deleting it then destroyed the only copy).
        return Ok(key.clone());
    }
    if let Ok(key) = read_key_file(&next)
        && key.id() == expected
    {
        match std::fs::rename(&next, key_file) {
            Ok(()) => {}
            // Another process finished the same rename first.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(key_file)(e)),
        }
        if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Best effort: the database already names this key, so a lost rename is redone.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        tracing::info!("finished a key rotation: data key is now {}", key.id());
        return Ok(key);
    }
    match current {
        Ok(key) => Err(KeyError::Mismatch {
            path: key_file.to_path_buf(),
            found: key.id(),
            expected,
        }),
        Err(KeyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            // On a kiosk whose key is sealed, the plain file is missing on purpose: say so.
            match sealed.filter(|s| s.try_exists().unwrap_or(false)) {
                Some(sealed) => Err(KeyError::Sealed {
                    path: key_file.to_path_buf(),
                    sealed: sealed.to_path_buf(),
                }),
                None => Err(KeyError::Missing {
                    path: key_file.to_path_buf(),
                    expected,
                }),
            }
        }
        Err(e) => Err(e),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str, out: &mut [u8]) -> Option<()> {
    if s.len() != out.len() * 2 || !s.is_ascii() {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::test_dir as tempdir;

    #[test]
    fn a_key_file_is_created_once_with_owner_only_permissions() {
        let dir = tempdir();
        let path = dir.join("k/guichet.key");
        let a = load_or_create(&path, None).unwrap();
        let b = load_or_create(&path, None).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.bytes(), b.bytes());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("guichet-data-key-v1 "), "{text}");
        assert!(
            !format!("{a:?}").contains(&hex(a.bytes())),
            "Debug hides the key"
        );
    }

    #[test]
    fn an_exposed_or_foreign_key_file_is_refused() {
        let dir = tempdir();
        let path = dir.join("guichet.key");
        load_or_create(&path, None).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = read_key_file(&path).unwrap_err();
        assert!(matches!(err, KeyError::Exposed { .. }), "{err}");
        assert!(err.to_string().contains("chmod 600"), "{err}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&path, "ssh-rsa AAAA\n").unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(KeyError::Malformed { .. })
        ));
        std::fs::write(&path, vec![b'a'; 4096]).unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(KeyError::Malformed { .. })
        ));
    }

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        let id = KeyId([0, 1, 0xab, 0xff, 7, 8, 9, 10]);
        assert_eq!(KeyId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(KeyId::from_hex("00"), None);
        assert_eq!(KeyId::from_hex("zz01abff0708090a"), None);
        assert_eq!(KeyId::from_hex("é01abff0708090a"), None);
    }
}
