//! Assurance levels of an e-legitimation (DIGG's tillitsnivåer): BankID and Freja eID+ are LoA3.

use super::code::coded_enum;

coded_enum! {
    /// Ordered lowest first, so `level >= minimum` says whether an assertion is strong enough.
    pub enum AssuranceLevel {
        Loa2 => "loa2",
        Loa3 => "loa3",
        Loa4 => "loa4",
    }
}

impl PartialOrd for AssuranceLevel {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AssuranceLevel {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::AssuranceLevel::*;
    use super::*;

    #[test]
    fn levels_are_ordered_and_parsed_by_their_codes() {
        assert!(Loa2 < Loa3 && Loa3 < Loa4);
        for level in AssuranceLevel::ALL {
            assert_eq!(AssuranceLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(AssuranceLevel::parse("LoA3"), None);
        assert_eq!(AssuranceLevel::parse("loa1"), None);
    }
}
