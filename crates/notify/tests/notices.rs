//! Notices to applicants end to end through the office, on both databases: a real SMTP server
//! on loopback (Python's aiosmtpd, STARTTLS required, a certificate made for the test) and a
//! small loopback HTTP receiver as the SMS provider, which fails each message's first try. The
//! notice says only that a document is waiting; a failed try is tried again later with the same
//! idempotency key; two nodes working the outbox at once send each notice once; addresses are
//! sealed in the database and never journaled.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use nansen_notify::{SmsSender, SmtpSender, SmtpSettings};
use nansen_office::cases;
use nansen_office::notices::{self, NoticeSender, Notifier};
use nansen_office::testing::{registration, TestOffice, BACKENDS};
use nansen_office::throttle::Client;
use nansen_office::{portal, Applicant, OfficeError, Role};
use serde_json::Value;

const EMAIL: &str = "amal.haddad@example.org";
const MOBILE: &str = "+33 6 12 34 56 78";

/// aiosmtpd on a free loopback port, writing what it receives to a maildir; killed on drop.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
    /// The authority that signed the server's certificate.
    cert: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The python that has aiosmtpd: scripts/test's environment, or the system's.
fn python() -> String {
    std::env::var("NANSEN_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

async fn start_smtp(dir: &Path) -> SmtpServer {
    // A certificate authority of the test's own, and the server's certificate it signs (rustls
    // refuses a self-signed authority as the server's own certificate).
    let (ca, ca_key) = (dir.join("ca.pem"), dir.join("ca-key.pem"));
    let (cert, key, request) = (dir.join("cert.pem"), dir.join("key.pem"), dir.join("server.csr"));
    let extensions = dir.join("server.ext");
    std::fs::write(&extensions, "basicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
        .expect("extensions");
    let openssl = |args: &[&std::ffi::OsStr]| {
        let made = Command::new("openssl")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl makes the test's certificates");
        assert!(made.success(), "openssl {args:?}");
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    openssl(&[
        os("req"),
        os("-x509"),
        os("-newkey"),
        os("rsa:2048"),
        os("-nodes"),
        os("-days"),
        os("2"),
        os("-subj"),
        os("/CN=Nansen test authority"),
        os("-keyout"),
        ca_key.as_os_str(),
        os("-out"),
        ca.as_os_str(),
    ]);
    openssl(&[
        os("req"),
        os("-newkey"),
        os("rsa:2048"),
        os("-nodes"),
        os("-subj"),
        os("/CN=localhost"),
        os("-keyout"),
        key.as_os_str(),
        os("-out"),
        request.as_os_str(),
    ]);
    openssl(&[
        os("x509"),
        os("-req"),
        os("-in"),
        request.as_os_str(),
        os("-CA"),
        ca.as_os_str(),
        os("-CAkey"),
        ca_key.as_os_str(),
        os("-CAcreateserial"),
        os("-days"),
        os("2"),
        os("-extfile"),
        extensions.as_os_str(),
        os("-out"),
        cert.as_os_str(),
    ]);
    let maildir = dir.join("maildir");
    let port = free_port();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .arg("--tlscert")
        .arg(&cert)
        .arg("--tlskey")
        .arg(&key)
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .spawn()
        .expect("python3 -m aiosmtpd (pip install aiosmtpd; scripts/test installs it)");
    // Killed on drop, whether it starts or not.
    let server = SmtpServer { child, port, maildir, cert: ca };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start on port {port}");
}

/// The messages in the maildir: to, subject, Message-ID and body, decoded by Python's email
/// package (what a mail client would show).
fn mailbox(maildir: &Path) -> Vec<Value> {
    let script = r#"
import json, mailbox, sys
out = []
for m in mailbox.Maildir(sys.argv[1], create=False):
    out.append({"to": m["To"], "subject": str(__import__("email.header", fromlist=["x"]).make_header(__import__("email.header", fromlist=["x"]).decode_header(m["Subject"]))),
                "message_id": m["Message-ID"], "body": m.get_payload(decode=True).decode(m.get_content_charset() or "utf-8")})
print(json.dumps(out))
"#;
    let out = Command::new(python()).arg("-c").arg(script).arg(maildir).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// What the SMS receiver saw: every request (idempotency key, body, authorization), and the keys
/// it accepted. A key's first try is answered 503.
#[derive(Default)]
struct Sms {
    tries: Vec<(String, Value, String)>,
    accepted: Vec<String>,
}

async fn start_sms() -> (String, Arc<Mutex<Sms>>) {
    let seen = Arc::new(Mutex::new(Sms::default()));
    async fn receive(State(seen): State<Arc<Mutex<Sms>>>, headers: HeaderMap, Json(body): Json<Value>) -> StatusCode {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let key = header("idempotency-key");
        let mut seen = seen.lock().expect("lock");
        let first = !seen.tries.iter().any(|(k, _, _)| *k == key);
        seen.tries.push((key.clone(), body, header("authorization")));
        if first {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        if !seen.accepted.contains(&key) {
            seen.accepted.push(key);
        }
        StatusCode::ACCEPTED
    }
    let app = axum::Router::new().route("/v1/messages", axum::routing::post(receive)).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/v1/messages", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn senders(smtp: &SmtpServer, sms_url: &str) -> Vec<Arc<dyn NoticeSender>> {
    let settings = SmtpSettings {
        url: format!("smtp://127.0.0.1:{}", smtp.port),
        from: "Office de protection <ne-pas-repondre@office.example>".into(),
        ca_file: Some(smtp.cert.clone()),
    };
    vec![
        Arc::new(SmtpSender::new(&settings).expect("smtp sender")),
        Arc::new(SmsSender::new(sms_url, Some("provider-token".into())).expect("sms sender")),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_document_in_the_space_is_announced_by_email_and_sms_once_and_says_nothing_of_it() {
    for backend in BACKENDS {
        let dir = tempfile::tempdir().expect("dir");
        let smtp = start_smtp(dir.path()).await;
        let (sms_url, sms) = start_sms().await;
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let mut r = registration(t.now().date());
        r.missing = vec!["photographs".into()];
        let (case, code) = cases::register(&t.office, &secretary, r).await.expect("registered");
        let number = case.number.to_string();
        let passphrase = "a long enough passphrase";
        let home = Client { address: "192.0.2.10", device: None };
        portal::activate(&t.office, home, &number, &code, passphrase, passphrase).await.expect("activated");
        portal::set_language(&t.office, case.number, "ar").await.expect("language");
        let applicant = Applicant { case: case.number };

        // A malformed address is refused next to its field, and nothing is stored.
        let refused = notices::set_contact(&t.office, &applicant, "amal@", MOBILE, true, true).await;
        assert!(
            matches!(&refused, Err(OfficeError::Field { field, message }) if field == "email" && message == "email_invalid"),
            "{refused:?}"
        );
        let refused = notices::set_contact(&t.office, &applicant, EMAIL, "06 12", true, true).await;
        assert!(matches!(&refused, Err(OfficeError::Field { field, .. }) if field == "mobile"), "{refused:?}");
        assert_eq!(notices::contact(&t.office, &applicant).await.expect("contact").email, None);

        let contact = notices::set_contact(&t.office, &applicant, EMAIL, MOBILE, true, true).await.expect("saved");
        assert_eq!(contact.mobile.as_deref(), Some("+33612345678"));
        // Sealed in the database, and never in the journal.
        let stored = t.store.store.portal_contact(&number).await.expect("store").expect("account");
        let sealed = format!("{:?}{:?}", stored.email, stored.mobile);
        assert!(!sealed.contains("amal") && !sealed.contains("612345678"), "{backend:?}: {sealed}");
        let journal: String = t.entries(&format!("portal:{number}")).await.iter().map(|e| e.payload.clone()).collect();
        assert!(!journal.contains("amal") && !journal.contains("612345678"), "{backend:?}: {journal}");

        // Two nodes work the outbox at once: the receipt and the request for items, by both channels.
        let node = |s| Notifier::new(t.office.clone(), s);
        let (a, b) = (node(senders(&smtp, &sms_url)), node(senders(&smtp, &sms_url)));
        let (ra, rb) = tokio::join!(a.round(), b.round());
        let (ra, rb) = (ra.expect("round"), rb.expect("round"));
        assert_eq!(ra.queued + rb.queued, 4, "{backend:?}: {ra:?} {rb:?}");
        assert_eq!(ra.sent + rb.sent, 2, "{backend:?}: the e-mails; {ra:?} {rb:?}");
        assert_eq!(ra.retried + rb.retried, 2, "{backend:?}: the SMS provider failed the first tries");
        let sent_mail = mailbox(&smtp.maildir);
        assert_eq!(sent_mail.len(), 2, "{backend:?}: one e-mail per document: {sent_mail:?}");
        for m in &sent_mail {
            assert_eq!(m["to"], EMAIL);
            assert!(
                m["message_id"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("<nansen-notice-") && id.ends_with("-email@office.example>")),
                "{m}"
            );
            assert_eq!(m["subject"], "وثيقة في انتظارك في فضائك الآمن", "{backend:?}: in the language of the space");
            let body = m["body"].as_str().expect("body");
            assert!(body.contains(&format!("{}/portal", t.office.config().public_url)), "{body}");
            // Nothing of the document or the applicant.
            for secret in ["photograph", "récépissé", "receipt", "Haddad", &number] {
                assert!(!body.contains(secret), "{backend:?}: the notice says {secret}: {body}");
            }
        }

        // Nothing is due until the retry's time; then each SMS goes, with the key of its first try.
        assert_eq!(a.round().await.expect("round").sent, 0, "{backend:?}");
        t.clock.advance(time::Duration::seconds(61));
        let again = a.round().await.expect("round");
        assert_eq!(again.sent, 2, "{backend:?}: {again:?}");
        {
            let sms = sms.lock().expect("lock");
            assert_eq!(sms.accepted.len(), 2, "{backend:?}: each SMS accepted once");
            for key in &sms.accepted {
                let tries: Vec<_> = sms.tries.iter().filter(|(k, _, _)| k == key).collect();
                assert_eq!(tries.len(), 2, "{backend:?}: the retry carried the same key {key}");
                let (_, body, auth) = tries[1];
                assert_eq!(body["to"], "+33612345678");
                assert_eq!(body["reference"], key.as_str());
                assert_eq!(auth, "Bearer provider-token");
                assert!(
                    body["text"].as_str().is_some_and(|t| t.contains("/portal") && !t.contains("Haddad")),
                    "{body}"
                );
            }
        }
        // Every delivery is journaled under the applicant's space, without the address.
        let delivered = t.entries(&format!("portal:{number}")).await;
        let sent: Vec<_> = delivered.iter().filter(|e| e.kind == "portal.notice_sent").collect();
        assert_eq!(sent.len(), 4, "{backend:?}");
        assert!(sent.iter().all(|e| !e.payload.contains("amal") && !e.payload.contains("612345678")));
        let lines = notices::notices_of(&t.office, &applicant).await.expect("notices");
        assert!(lines.len() == 4 && lines.iter().all(|l| l.sent_at.is_some()), "{backend:?}: {lines:?}");
        let counts = notices::outbox(&t.office).await.expect("outbox");
        assert_eq!((counts.pending, counts.oldest_pending_at, counts.given_up), (0, None, 0), "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_refuses_for_good_gives_the_notice_up_and_a_turned_off_channel_sends_nothing() {
    let (sms_url, _) = start_sms().await;
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let (case, code) =
            cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let home = Client { address: "192.0.2.10", device: None };
        let passphrase = "a long enough passphrase";
        portal::activate(&t.office, home, &number, &code, passphrase, passphrase).await.expect("activated");
        let applicant = Applicant { case: case.number };
        // E-mail turned off: only the SMS is queued. The provider answers 404 (an unknown route):
        // refused for good, given up at once, never lost silently.
        notices::set_contact(&t.office, &applicant, EMAIL, MOBILE, false, true).await.expect("saved");
        let wrong = Arc::new(SmsSender::new(&sms_url.replace("/v1/messages", "/nowhere"), None).expect("sender"));
        let round = Notifier::new(t.office.clone(), vec![wrong]).round().await.expect("round");
        assert_eq!((round.queued, round.sent, round.given_up), (1, 0, 1), "{backend:?}: {round:?}");
        let counts = notices::outbox(&t.office).await.expect("outbox");
        assert_eq!((counts.pending, counts.given_up), (0, 1), "{backend:?}");
    }
}
