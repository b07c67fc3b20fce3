//! Runs the loopback S3 test server (s3s-fs, SigV4) until interrupted and prints what a
//! `nansen serve` needs to store documents in it, for measuring uploads to S3 by hand:
//!
//! ```sh
//! cargo run -p nansen-docs --example s3_test_server -- /tmp/s3root   # prints the environment
//! env $(cat s3.env) nansen serve                                        # in another shell
//! ```

#[tokio::main]
async fn main() {
    let dir = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).expect("the server's directory");
    let server = nansen_docs::objects::testing::start_s3_test_server(&dir).await;
    println!("NANSEN_DOCUMENTS={}", server.url("nansen"));
    for (k, v) in server.env() {
        println!("{k}={v}");
    }
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown();
}
