//! Eurostat's `citizen` codes for the nationalities the office records (ISO 3166-1 alpha-2, with
//! Eurostat's own codes for Kosovo, stateless and unknown). A standard, not dated rule data.

/// Alpha-3 (as recorded) → Eurostat's citizen code.
const CITIZEN: [(&str, &str); 50] = [
    ("AFG", "AF"),
    ("AGO", "AO"),
    ("ALB", "AL"),
    ("ARM", "AM"),
    ("AZE", "AZ"),
    ("BGD", "BD"),
    ("CAF", "CF"),
    ("CHN", "CN"),
    ("CIV", "CI"),
    ("CMR", "CM"),
    ("COD", "CD"),
    ("COG", "CG"),
    ("COL", "CO"),
    ("COM", "KM"),
    ("CUB", "CU"),
    ("DZA", "DZ"),
    ("ERI", "ER"),
    ("ETH", "ET"),
    ("GEO", "GE"),
    ("GIN", "GN"),
    ("HTI", "HT"),
    ("IND", "IN"),
    ("IRN", "IR"),
    ("IRQ", "IQ"),
    ("LBY", "LY"),
    ("LKA", "LK"),
    ("MAR", "MA"),
    ("MLI", "ML"),
    ("MMR", "MM"),
    ("MNG", "MN"),
    ("MRT", "MR"),
    ("NGA", "NG"),
    ("NIC", "NI"),
    ("NPL", "NP"),
    ("PAK", "PK"),
    ("PSE", "PS"),
    ("RUS", "RU"),
    ("SDN", "SD"),
    ("SEN", "SN"),
    ("SOM", "SO"),
    ("SRB", "RS"),
    ("SYR", "SY"),
    ("TCD", "TD"),
    ("TUN", "TN"),
    ("TUR", "TR"),
    ("UKR", "UA"),
    ("VEN", "VE"),
    ("XKX", "XK"),
    ("XXA", "STLS"),
    ("YEM", "YE"),
];

/// Eurostat's citizen code for a recorded nationality; `UNK` for one it does not know.
pub fn citizen(alpha3: &str) -> &'static str {
    CITIZEN.binary_search_by(|(a, _)| (*a).cmp(alpha3)).map(|i| CITIZEN[i].1).unwrap_or("UNK")
}

/// Eurostat's `sex` code.
pub fn sex(sex: crate::person::Sex) -> &'static str {
    match sex {
        crate::person::Sex::Female => "F",
        crate::person::Sex::Male => "M",
        crate::person::Sex::Unspecified => "UNK",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_complete() {
        assert!(CITIZEN.windows(2).all(|w| w[0].0 < w[1].0), "sorted for the binary search");
        assert_eq!(citizen("AFG"), "AF");
        assert_eq!(citizen("XXA"), "STLS");
        assert_eq!(citizen("XXX"), "UNK");
        let rules = crate::rules::Rules::embedded();
        for n in rules.nationalities() {
            assert_ne!(citizen(n.code.as_str()), "UNK", "{} has no Eurostat code", n.code);
        }
    }
}
