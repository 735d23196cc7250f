//! FNV-1a (64-bit): a fixed, dependency-free hash. Its values never change
//! between builds, machines or compiler versions, so they can name files and
//! key a cache (std's hasher promises neither).

/// XXH3 (64-bit): as fixed as FNV-1a, and fast enough to check every
/// byte the cache gives back (its notes file is tens of megabytes on a
/// large site) before it is trusted.
pub fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        assert_eq!(super::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
