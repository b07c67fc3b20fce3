//! Who is on the other end of a request, as far as limits on failed sign-ins need it: the
//! client's address (the connection's, or the one a trusted reverse proxy forwarded) and the
//! device cookie set at an earlier successful sign-in.

use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use ipnet::IpNet;
use nansen_office::throttle::Client;

use crate::AppState;

/// The cookie that marks a device on which an agent signed in (sent to the whole site).
pub const AGENT_DEVICE_COOKIE: &str = "nansen_device";
/// The same for applicants (sent to the portal only).
pub const PORTAL_DEVICE_COOKIE: &str = "nansen_portal_device";

/// Parses `NANSEN_TRUSTED_PROXIES`: comma-separated addresses or networks.
pub fn parse_trusted_proxies(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("NANSEN_TRUSTED_PROXIES: {s:?} is neither an address nor a network"))
        })
        .collect()
}

/// The client's address: the connection's peer, unless that peer is a trusted proxy; then the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy (what a client
/// writes further left is not believed).
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer))
}

/// Who is asking, for the limits on failed sign-ins: the address failures are counted against
/// ("unknown" without connection info) and the device cookies of earlier sign-ins.
pub struct Caller {
    pub address: String,
    agent_device: Option<String>,
    portal_device: Option<String>,
}

impl Caller {
    /// As an agent signing in.
    pub fn agent(&self) -> Client<'_> {
        Client { address: &self.address, device: self.agent_device.as_deref() }
    }

    /// As an applicant signing in to the portal.
    pub fn portal(&self) -> Client<'_> {
        Client { address: &self.address, device: self.portal_device.as_deref() }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let address = client_address(peer, &parts.headers, &state.config().trusted_proxies);
        Ok(Caller {
            address: address.map(|a| a.to_string()).unwrap_or_else(|| "unknown".into()),
            agent_device: cookie(&parts.headers, AGENT_DEVICE_COOKIE).map(str::to_owned),
            portal_device: cookie(&parts.headers, PORTAL_DEVICE_COOKIE).map(str::to_owned),
        })
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Adds the cookie that marks this browser as a known device of the account.
pub fn with_device(mut response: Response, name: &str, token: &str, path: &str, secure: bool) -> Response {
    if let Ok(v) = HeaderValue::from_str(&device_cookie(name, token, path, secure)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The `Set-Cookie` value that remembers a device.
pub fn device_cookie(name: &str, token: &str, path: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={token}; Path={path}; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        nansen_office::throttle::DEVICE_DAYS * 86_400
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxies = parse_trusted_proxies("10.0.0.5, 192.168.0.0/24").expect("parse");
        let client: IpAddr = "203.0.113.7".parse().expect("ip");
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        // A client that is not a proxy cannot choose its address by writing the header.
        assert_eq!(client_address(Some(client), &headers(&["198.51.100.1"]), &proxies), Some(client));
        // Through the proxy: the right-most untrusted address, not what the client wrote first.
        let forged = headers(&["198.51.100.1, 203.0.113.7"]);
        assert_eq!(client_address(Some(proxy), &forged, &proxies), Some(client));
        let chained = headers(&["203.0.113.7", "192.168.0.9"]);
        assert_eq!(client_address(Some(proxy), &chained, &proxies), Some(client));
        // No trusted proxy configured: the header is ignored.
        assert_eq!(client_address(Some(proxy), &forged, &[]), Some(proxy));
        assert!(parse_trusted_proxies("10.0.0.5,not-an-ip").is_err());
    }
}
