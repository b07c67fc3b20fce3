//! A real OpenID provider for tests (`scripts/oidc-provider`: panva's oidc-provider, started on
//! loopback with `node`), and a walk through its sign-in as a browser would.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running provider; stopped when dropped.
pub struct TestProvider {
    child: Child,
    pub issuer: String,
    pub port: u16,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestProvider {
    /// Starts the provider on `port` (0: any) with its clients and accounts (see the script).
    /// Its signing key is new at each start.
    pub fn start(port: u16, clients: &serde_json::Value, accounts: &serde_json::Value) -> TestProvider {
        // A Node start that says nothing for a minute is stopped and tried again (a CI run once
        // waited ten minutes for a provider that never listened).
        for _ in 0..3 {
            if let Some(provider) = TestProvider::try_start(port, clients, accounts, Duration::from_secs(60)) {
                return provider;
            }
        }
        panic!("the test provider did not say where it listens, three times");
    }

    fn try_start(
        port: u16,
        clients: &serde_json::Value,
        accounts: &serde_json::Value,
        wait: Duration,
    ) -> Option<TestProvider> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/oidc-provider");
        assert!(
            std::path::Path::new(dir).join("node_modules/oidc-provider").exists(),
            "the test provider is not installed: run `npm ci` in scripts/oidc-provider (scripts/test does)"
        );
        let node = std::env::var("NANSEN_TEST_NODE").unwrap_or_else(|_| "node".to_owned());
        let mut child = Command::new(node)
            .arg("provider.mjs")
            .current_dir(dir)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENTS", clients.to_string())
            .env("OIDC_ACCOUNTS", accounts.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts the test provider");
        // Its warnings about a test setup (in-memory storage, Node's version) are left out.
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok).filter(|l| !l.contains("oidc-provider WARNING")) {
                eprintln!("oidc-provider: {line}");
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let (first, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            let read = stdout.read_line(&mut line);
            if first.send(read.map(|_| line)).is_err() {
                return;
            }
            // Whatever it prints later goes to the test's output (a closed pipe would stop it).
            for line in stdout.lines().map_while(Result::ok).filter(|l| !l.contains("oidc-provider NOTICE")) {
                eprintln!("oidc-provider: {line}");
            }
        });
        let line = match said.recv_timeout(wait) {
            Ok(Ok(line)) if line.starts_with("listening ") => line,
            other => {
                eprintln!("oidc-provider: no listening line ({other:?}); stopped");
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        };
        let issuer = line.trim().strip_prefix("listening ").expect("listening line").to_owned();
        let port = issuer.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
        Some(TestProvider { child, issuer, port })
    }
}

/// Walks a browser's way from an authorization URL through the provider's sign-in form (typing
/// `login`) until the provider sends the browser to an address starting with `back`. Returns
/// that address and whether the form was shown (a provider session skips it, unless a fresh
/// authentication was asked for). `http` keeps cookies and follows no redirect.
pub async fn authorize(http: &reqwest::Client, url: &str, login: &str, back: &str) -> (String, bool) {
    let mut next = url.to_owned();
    let mut form_shown = false;
    for _ in 0..20 {
        if next.starts_with(back) {
            return (next, form_shown);
        }
        let response = http.get(&next).send().await.expect("provider answers");
        let here = response.url().clone();
        let response = if response.status().is_success() && here.path().starts_with("/interaction/") {
            form_shown = true;
            http.post(here.as_str()).form(&[("login", login)]).send().await.expect("sign-in form")
        } else {
            response
        };
        let status = response.status();
        let at = response.url().clone();
        let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
            let body = response.text().await.unwrap_or_default();
            panic!("the provider stopped at {at} ({status}): {body}");
        };
        let location = location.to_str().expect("location");
        next = at.join(location).expect("location URL").to_string();
    }
    panic!("the provider never sent the browser back");
}
