//! Saved searches of the library, one list per agent, each with how many documents matching it
//! were added since the agent last opened it ("new since last visit").

use std::collections::BTreeSet;

use nansen_authz::{Action as Act, Resource};
use nansen_domain::research::CountryMatch;
use nansen_store::{Action, Op, SavedSearchChange};
use serde::{Deserialize, Serialize};
use time::Date;

use super::library::{self, LibraryQuery, MAX_RESULTS};
use crate::{Agent, Office, OfficeError};

/// A search as the store keeps it (JSON): the query without its page size.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    q: String,
    countries: Vec<String>,
    country_match: CountryMatch,
    sources: Vec<String>,
    kinds: Vec<String>,
    languages: Vec<String>,
    topics: Vec<String>,
    published_from: Option<String>,
    published_to: Option<String>,
    by_date: bool,
}

fn stored(q: &LibraryQuery) -> Stored {
    Stored {
        q: q.q.clone(),
        countries: q.countries.clone(),
        country_match: q.country_match,
        sources: q.sources.clone(),
        kinds: q.kinds.clone(),
        languages: q.languages.clone(),
        topics: q.topics.clone(),
        published_from: q.published_from.map(|d| d.to_string()),
        published_to: q.published_to.map(|d| d.to_string()),
        by_date: q.by_date,
    }
}

fn query_of(s: Stored) -> LibraryQuery {
    let date =
        |d: Option<String>| d.and_then(|d| Date::parse(&d, &time::format_description::well_known::Iso8601::DATE).ok());
    LibraryQuery {
        q: s.q,
        countries: s.countries,
        country_match: s.country_match,
        sources: s.sources,
        kinds: s.kinds,
        languages: s.languages,
        topics: s.topics,
        published_from: date(s.published_from),
        published_to: date(s.published_to),
        by_date: s.by_date,
        limit: 0,
    }
}

/// One of the agent's saved searches.
#[derive(Debug, Clone)]
pub struct SavedSearch {
    pub id: String,
    pub name: String,
    pub query: LibraryQuery,
    /// Documents matching it added since the agent last opened it (counted among the first
    /// [`MAX_RESULTS`] passages found).
    pub new: usize,
}

/// The agent's saved searches with what is new in each. Each count is a search of the library,
/// journaled with the others as one read.
pub async fn saved_searches(office: &Office, agent: &Agent) -> Result<Vec<SavedSearch>, OfficeError> {
    office.ask(agent, &[Act::ReadLibrary], &Resource::Office, "library:saved-searches").await?;
    let rows = office.store().saved_searches(agent.login.as_str()).await?;
    let latest = if rows.is_empty() { 0 } else { office.store().library_latest_seq().await? };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let query = query_of(serde_json::from_str(&row.query).map_err(crate::error::internal)?);
        let new = if row.seen_seq < latest {
            let found = library::find(office, &LibraryQuery { limit: MAX_RESULTS, ..query.clone() }).await?;
            found
                .hits
                .iter()
                .filter(|h| h.document.seq > row.seen_seq)
                .map(|h| h.document.id.as_str())
                .collect::<BTreeSet<_>>()
                .len()
        } else {
            0
        };
        out.push(SavedSearch { id: row.id, name: row.name, query, new });
    }
    Ok(out)
}

/// Saves a search under a name; returns its id.
pub async fn save_search(
    office: &Office,
    agent: &Agent,
    name: &str,
    query: &LibraryQuery,
) -> Result<String, OfficeError> {
    if query.is_empty() {
        return Err(OfficeError::field("name", "search for something before saving the search"));
    }
    let seen_seq = office.store().library_latest_seq().await?;
    let change = SavedSearchChange::Saved {
        id: String::new(),
        name: name.to_owned(),
        query: serde_json::to_string(&stored(query)).map_err(crate::error::internal)?,
        seen_seq,
    };
    commit(office, agent, change).await?;
    let rows = office.store().saved_searches(agent.login.as_str()).await?;
    Ok(rows.into_iter().find(|r| r.name == name.trim()).map(|r| r.id).unwrap_or_default())
}

/// Opens a saved search: its query, and from now on nothing in it is new.
pub async fn open_search(office: &Office, agent: &Agent, id: &str) -> Result<LibraryQuery, OfficeError> {
    let rows = office.store().saved_searches(agent.login.as_str()).await?;
    let row =
        rows.into_iter().find(|r| r.id == id).ok_or_else(|| OfficeError::NotFound(format!("saved search {id}")))?;
    let seen_seq = office.store().library_latest_seq().await?;
    commit(office, agent, SavedSearchChange::Visited { id: id.to_owned(), seen_seq }).await?;
    Ok(query_of(serde_json::from_str(&row.query).map_err(crate::error::internal)?))
}

/// Deletes one of the agent's saved searches.
pub async fn delete_search(office: &Office, agent: &Agent, id: &str) -> Result<(), OfficeError> {
    commit(office, agent, SavedSearchChange::Deleted { id: id.to_owned() }).await
}

async fn commit(office: &Office, agent: &Agent, change: SavedSearchChange) -> Result<(), OfficeError> {
    office
        .act(agent, Act::ReadLibrary, &Resource::Office, "library:saved-searches", async || {
            Ok(vec![Op { actor: agent.login.clone(), now: office.now(), action: Action::SavedSearch(change) }])
        })
        .await?;
    Ok(())
}
