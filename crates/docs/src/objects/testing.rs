//! A real S3-compatible server on loopback, for tests of this crate and of the crates that use it
//! (feature `s3-test-server`): `s3s-fs` (the S3 protocol over a directory) served by hyper on
//! `127.0.0.1:<random port>`, with SigV4 authentication enforced.
//!
//! ```no_run
//! # async fn demo() {
//! use nansen_docs::objects::{testing::start_s3_test_server, DocumentStore};
//! let dir = tempfile::tempdir().expect("temporary directory");
//! let server = start_s3_test_server(dir.path()).await;
//! let store = DocumentStore::s3(&server.config("nansen")).expect("S3 store");
//! // or, for a `nansen serve` child process: `.envs(server.env())` and `s3://bucket/nansen`
//! # }
//! ```
//!
//! The server runs as tasks of the runtime that started it, until [`S3TestServer::shutdown`] or
//! the value is dropped.

use std::path::{Path, PathBuf};

use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::{env, S3Config};

/// A running loopback S3 server and what a client needs to reach it.
#[derive(Debug)]
pub struct S3TestServer {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// A bucket created empty at start.
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    /// The directory the server stores into: bucket `b`, key `k` is the file `root/b/k`.
    pub root: PathBuf,
    task: JoinHandle<()>,
}

/// Starts a server storing into `dir` (which must exist), with one empty bucket. Panics if it
/// cannot (a test helper).
pub async fn start_s3_test_server(dir: &Path) -> S3TestServer {
    let root = std::fs::canonicalize(dir).expect("the S3 test server's directory exists");
    let bucket = "nansen-test".to_owned();
    std::fs::create_dir_all(root.join(&bucket)).expect("create the test bucket");
    let access_key = "NANSENTESTACCESSKEY".to_owned();
    let secret_key = "nansen-test-secret-key-for-loopback-only".to_owned();

    let fs = s3s_fs::FileSystem::new(&root).expect("s3s-fs over the directory");
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(access_key.clone(), secret_key.clone()));
    let service = builder.build();

    let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    let task = tokio::spawn(async move {
        // Dropped (aborting every connection) when the server is shut down.
        let mut connections = JoinSet::new();
        loop {
            let Ok((socket, _)) = listener.accept().await else { continue };
            let service = service.clone();
            connections.spawn(async move {
                let connection =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(socket), service);
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "S3 test server connection ended");
                }
            });
            while connections.try_join_next().is_some() {}
        }
    });
    S3TestServer {
        endpoint: format!("http://{address}"),
        bucket,
        region: "us-east-1".to_owned(),
        access_key,
        secret_key,
        root,
        task,
    }
}

impl S3TestServer {
    /// A configuration for [`super::DocumentStore::s3`], keys under `prefix`.
    pub fn config(&self, prefix: &str) -> S3Config {
        S3Config {
            bucket: self.bucket.clone(),
            prefix: prefix.to_owned(),
            endpoint: Some(self.endpoint.clone()),
            region: self.region.clone(),
            access_key_id: self.access_key.clone(),
            secret_access_key: self.secret_key.clone(),
            allow_http: true,
        }
    }

    /// The URL for [`super::DocumentStore::from_url`] (with [`S3TestServer::env`]).
    pub fn url(&self, prefix: &str) -> String {
        let prefix = prefix.trim_matches('/');
        if prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{prefix}", self.bucket)
        }
    }

    /// The environment variables that make [`S3TestServer::url`] reach this server, e.g. for a
    /// `nansen serve` child process.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (env::ENDPOINT, self.endpoint.clone()),
            (env::REGION, self.region.clone()),
            (env::ACCESS_KEY_ID, self.access_key.clone()),
            (env::SECRET_ACCESS_KEY, self.secret_key.clone()),
            (env::ALLOW_HTTP, "1".to_owned()),
        ]
    }

    /// The directory holding the bucket's objects.
    pub fn bucket_dir(&self) -> PathBuf {
        self.root.join(&self.bucket)
    }

    /// The file holding the object `key` (e.g. from [`super::DocumentStore::key_of`]), to tamper
    /// with it or delete it behind the store's back.
    pub fn object_file(&self, key: &str) -> PathBuf {
        self.bucket_dir().join(key)
    }

    /// Multipart uploads started and neither completed nor aborted.
    pub fn pending_uploads(&self) -> usize {
        self.internal_files(".upload-")
    }

    /// Parts of uploads neither completed nor aborted.
    pub fn pending_parts(&self) -> usize {
        self.internal_files(".upload_id-")
    }

    fn internal_files(&self, prefix: &str) -> usize {
        std::fs::read_dir(&self.root)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(prefix)))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Stops accepting connections and closes the open ones.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for S3TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
