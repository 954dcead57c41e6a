//! The two encodings of a `data` 0 resource (palmos.md §4), written so that
//! `palm_shim::app_image` (the launcher's decoder) reads them back exactly:
//! - [`compress`]: one byte stream of the globals' initial image, ended by 0x00;
//! - [`encode_chain`]: one relocation chain (u32 count, then a delta per site).

use thiserror::Error;

/// A relocation site the chain encoding cannot express.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChainError {
    #[error("relocation site at A5{site:+} is at an odd distance from the previous one (deltas are even)")]
    OddDelta { site: i64 },
    #[error("relocation site at A5{site:+} is too far from the previous one ({delta} bytes)")]
    TooFar { site: i64, delta: i64 },
}

/// The 8-byte patterns of opcodes 0x01-0x04, with the bytes each one stores.
fn pattern(d: &[u8]) -> Option<Vec<u8>> {
    if d.len() < 8 {
        return None;
    }
    if d[..4] == [0, 0, 0, 0] && d[4] == 0xFF {
        return Some(if d[5] == 0xFF { vec![0x01, d[6], d[7]] } else { vec![0x02, d[5], d[6], d[7]] });
    }
    if d[..2] == [0xA9, 0xF0] && d[2] == 0 && d[6] == 0 {
        return Some(if d[3] == 0 { vec![0x03, d[4], d[5], d[7]] } else { vec![0x04, d[3], d[4], d[5], d[7]] });
    }
    None
}

/// Compresses `data` into one `data` 0 stream (terminated by 0x00). Greedy: runs of zeros
/// (2+), 0xFF (2+) and any other byte (3+) become run opcodes, the 8-byte patterns their
/// opcodes, everything else literal blocks of up to 128 bytes.
pub fn compress(data: &[u8]) -> Vec<u8> {
    fn flush(out: &mut Vec<u8>, lit: &mut Vec<u8>) {
        for chunk in lit.chunks(128) {
            out.push(0x80 | (chunk.len() - 1) as u8);
            out.extend_from_slice(chunk);
        }
        lit.clear();
    }
    let mut out = Vec::with_capacity(data.len() / 2 + 8);
    let mut lit = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        // (No opcode covers more than 64 bytes: counting further would make long runs quadratic.)
        let run = data[i..].iter().take(64).take_while(|&&x| x == b).count();
        // A long run of zeros beats a pattern that starts with four of them.
        if run < 8 {
            if let Some(op) = pattern(&data[i..]) {
                flush(&mut out, &mut lit);
                out.extend_from_slice(&op);
                i += 8;
                continue;
            }
        }
        match b {
            0x00 if run >= 2 => {
                let n = run.min(64);
                flush(&mut out, &mut lit);
                out.push(0x40 | (n - 1) as u8);
                i += n;
            }
            0xFF if run >= 2 => {
                let n = run.min(16);
                flush(&mut out, &mut lit);
                out.push(0x10 | (n - 1) as u8);
                i += n;
            }
            _ if run >= 3 => {
                let n = run.min(33);
                flush(&mut out, &mut lit);
                out.push(0x20 | (n - 2) as u8);
                out.push(b);
                i += n;
            }
            _ => {
                lit.push(b);
                i += 1;
            }
        }
    }
    flush(&mut out, &mut lit);
    out.push(0x00);
    out
}

/// Encodes one relocation chain: u32 count, then the sites (A5-relative offsets, in the given
/// order) as deltas from a running offset that starts at 0. A delta is even; one byte holds
/// -128..=126, two bytes -16384..=16382, four bytes -2^30..=2^30-2.
pub fn encode_chain(sites: &[i64]) -> Result<Vec<u8>, ChainError> {
    let mut out = (sites.len() as u32).to_be_bytes().to_vec();
    let mut at = 0i64;
    for &site in sites {
        let delta = site - at;
        if delta % 2 != 0 {
            return Err(ChainError::OddDelta { site });
        }
        if (-128..=126).contains(&delta) {
            out.push(0x80 | ((delta >> 1) & 0x7F) as u8);
        } else if (-16384..=16382).contains(&delta) {
            let w = 0x4000 | ((delta >> 1) & 0x3FFF) as u16;
            out.extend_from_slice(&w.to_be_bytes());
        } else if (-(1i64 << 30)..=(1i64 << 30) - 2).contains(&delta) {
            let v = ((delta >> 1) & 0x3FFF_FFFF) as u32;
            out.extend_from_slice(&v.to_be_bytes());
        } else {
            return Err(ChainError::TooFar { site, delta });
        }
        at = site;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use palm_shim::app_image::A5World;

    /// xorshift64*: deterministic test data without a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn code0(above: u32, below: u32) -> Vec<u8> {
        [above, below, 8, 32].iter().flat_map(|v| v.to_be_bytes()).collect()
    }

    /// A data 0 resource holding `image` as block 0 at A5 - image.len(), blocks 1 and 2
    /// empty, and the given chains.
    fn data0(image: &[u8], a5_sites: &[i64], code_sites: &[i64]) -> Vec<u8> {
        let mut d = vec![0u8; 4];
        d.extend_from_slice(&(-(image.len() as i32)).to_be_bytes());
        d.extend_from_slice(&compress(image));
        for _ in 0..2 {
            d.extend_from_slice(&0i32.to_be_bytes());
            d.push(0);
        }
        d.extend_from_slice(&encode_chain(a5_sites).unwrap());
        d.extend_from_slice(&encode_chain(code_sites).unwrap());
        d.extend_from_slice(&encode_chain(&[]).unwrap());
        let at = d.len() as u32;
        d[..4].copy_from_slice(&at.to_be_bytes());
        d.extend_from_slice(&[0; 24]);
        d
    }

    /// Random data with the structure real globals have: runs of zeros, of 0xFF, of other
    /// bytes, the opcode patterns, and noise, in random lengths.
    fn random_image(rng: &mut Rng, len: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(len + 300);
        while v.len() < len {
            let max = if rng.below(4) == 0 { 300 } else { 12 };
            let n = 1 + rng.below(max) as usize;
            match rng.below(8) {
                0 => v.extend(std::iter::repeat_n(0u8, n)),
                1 => v.extend(std::iter::repeat_n(0xFFu8, n)),
                2 => v.extend(std::iter::repeat_n(rng.next() as u8, n)),
                3 => {
                    let b: [u8; 4] = (rng.next() as u32).to_be_bytes();
                    v.extend_from_slice(&[0, 0, 0, 0, 0xFF, if rng.below(2) == 0 { 0xFF } else { b[0] }, b[1], b[2]]);
                }
                4 => {
                    let b: [u8; 4] = (rng.next() as u32).to_be_bytes();
                    v.extend_from_slice(&[0xA9, 0xF0, 0, if rng.below(2) == 0 { 0 } else { b[0] }, b[1], b[2], 0, b[3]]);
                }
                _ => v.extend((0..n).map(|_| rng.next() as u8)),
            }
        }
        v.truncate(len);
        v
    }

    #[test]
    fn compression_round_trips_through_the_launchers_decompressor() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut total_in = 0;
        let mut total_out = 0;
        for case in 0..2000 {
            let len = match case {
                0 => 0,
                1..=300 => case,
                _ => rng.below(20_000) as usize,
            };
            let image = if case % 7 == 0 { (0..len).map(|_| rng.next() as u8).collect() } else { random_image(&mut rng, len) };
            let d = data0(&image, &[], &[]);
            let world = A5World::build(&code0(0, image.len() as u32), Some(&d))
                .unwrap_or_else(|e| panic!("case {case} ({len} bytes): {e}"));
            assert_eq!(world.bytes, image, "case {case}: {len} bytes");
            total_in += image.len();
            total_out += compress(&image).len();
        }
        assert!(total_out < total_in, "structured data compresses ({total_out} of {total_in} bytes)");
    }

    #[test]
    fn every_opcode_is_used_and_decoded() {
        let mut image = vec![0u8; 200];
        image.extend_from_slice(&[0xFF; 40]);
        image.extend_from_slice(&[7; 50]);
        image.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 1, 2, 0, 0, 0, 0, 0xFF, 3, 4, 5]);
        image.extend_from_slice(&[0xA9, 0xF0, 0, 0, 6, 7, 0, 8, 0xA9, 0xF0, 0, 9, 10, 11, 0, 12]);
        image.extend((0..300).map(|i| (i * 7 + 1) as u8));
        let stream = compress(&image);
        for op in [0x01u8, 0x02, 0x03, 0x04] {
            assert!(stream.contains(&op), "opcode {op:#04x} unused");
        }
        let world = A5World::build(&code0(0, image.len() as u32), Some(&data0(&image, &[], &[]))).unwrap();
        assert_eq!(world.bytes, image);
    }

    #[test]
    fn relocation_chains_round_trip_with_every_delta_width() {
        let mut rng = Rng(42);
        let size: i64 = 0xF_0000;
        for case in 0..60 {
            let n = rng.below(300) as usize;
            let mut a5: Vec<i64> = (0..n).map(|_| -(rng.below((size / 2 - 2) as u64) as i64) * 2 - 4).collect();
            let mut code: Vec<i64> = (0..n / 2).map(|_| -(rng.below((size / 2 - 2) as u64) as i64) * 2 - 4).collect();
            if case % 2 == 0 {
                a5.sort();
                code.sort_unstable_by(|a, b| b.cmp(a));
            }
            let image = vec![0u8; size as usize];
            let d = data0(&image, &a5, &code);
            let world = A5World::build(&code0(0, size as u32), Some(&d)).unwrap();
            assert_eq!(world.a5_relocations, a5, "case {case}");
            assert_eq!(world.code1_relocations, code, "case {case}");
        }
        // Exact limits of each width.
        for delta in [-128i64, 126, -130, 128, -16384, 16382, -16386, 16384, -(1 << 30), (1 << 30) - 2] {
            let chain = encode_chain(&[delta]).unwrap();
            let width = chain.len() - 4;
            let want = if (-128..=126).contains(&delta) { 1 } else if (-16384..=16382).contains(&delta) { 2 } else { 4 };
            assert_eq!(width, want, "delta {delta}");
        }
        assert_eq!(encode_chain(&[3]), Err(ChainError::OddDelta { site: 3 }));
        assert!(matches!(encode_chain(&[1 << 31]), Err(ChainError::TooFar { .. })));
    }
}
