//! Helpers shared by the office's integration tests.
#![allow(dead_code)]

use nansen_office::documents::{self, Served};
use nansen_office::{Agent, Office};

/// The text of a PDF filed in a case, read as `agent` through the office, its whitespace runs
/// made single spaces (a line break in the layout reads as a space).
pub async fn pdf_text(office: &Office, agent: &Agent, number: &str, document: u32) -> String {
    let bytes = documents::download(office, agent, number, document, Served::Safe).await.expect("read");
    let chunks: Vec<_> = futures_util::StreamExt::collect(bytes.stream).await;
    let pdf: Vec<u8> = chunks.into_iter().flat_map(|c| c.expect("bytes").to_vec()).collect();
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text").split_whitespace().collect::<Vec<_>>().join(" ")
}
