//! Test helpers that start the real thing: a store on a fresh SQLite file or a fresh PostgreSQL
//! database (created on the server named by `NANSEN_TEST_DATABASE_URL`, default the local
//! server on 127.0.0.1:5432, and dropped afterwards). PostgreSQL tests never skip: when no server
//! answers, they fail and say so.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::{Backend, Config, Store};

/// The PostgreSQL server tests use (a URL to any database on it; tests create their own).
pub fn postgres_url() -> String {
    std::env::var("NANSEN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{database}?{q}"),
        None => format!("{prefix}/{database}"),
    }
}

/// A fresh, empty PostgreSQL database; dropped when this value is dropped.
pub struct PgDatabase {
    pub url: String,
    name: String,
    admin: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        let admin = postgres_url();
        let name = format!(
            "nansen_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL tests need a server: could not connect to {admin} ({e}). \
                 Run them through scripts/test, which starts one, or set NANSEN_TEST_DATABASE_URL."
            )
        });
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let _ = conn.close().await;
        PgDatabase { url: with_database(&admin, &name), name, admin }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop needs its own runtime: this may run inside or outside one.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
                }
            });
        })
        .join();
    }
}

/// A store on a fresh database, with its data directory (signing key, SQLite file).
pub struct TestStore {
    pub store: Store,
    pub config: Config,
    pub dir: tempfile::TempDir,
    pub pg: Option<PgDatabase>,
}

impl TestStore {
    pub async fn new(backend: Backend) -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgDatabase::create().await),
        };
        let config = Config {
            data_dir: dir.path().to_owned(),
            database_url: pg.as_ref().map(|p| p.url.clone()),
            signing_key: None,
        };
        let store = Store::open(&config).await.expect("open store");
        TestStore { store, config, dir, pg }
    }

    /// Opens the same database and key again (as a restarted process would).
    pub async fn reopen(&self) -> Store {
        Store::open(&self.config).await.expect("reopen store")
    }
}

/// Both backends, for tests that run the same body on each.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];
