//! Extra resources given on the command line (`--resource TYPE:ID:FILE`, repeatable): forms,
//! alerts, strings, the icon... built elsewhere (tools/app-resources) and added to the
//! application's own `code`/`data`/`pref`/`tAIN`/`tver`. The packer validates them (4-character
//! printable type, decimal or 0x-hex ID up to 65535, no resource twice, none that replaces one
//! the packer writes itself) and writes all resources sorted by type and ID.

use crate::{parse_fourcc, PackError};
use palm_shim::pdb::ResourceEntry;
use std::path::PathBuf;

/// One `--resource TYPE:ID:FILE` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpec {
    pub kind: u32,
    pub id: u16,
    pub file: PathBuf,
}

/// `TYPE:ID:FILE`; the file name may itself contain colons.
pub fn parse_resource_spec(s: &str) -> Result<ResourceSpec, PackError> {
    let bad = |why: &str| PackError::Database(format!("--resource {s:?}: {why} (expected TYPE:ID:FILE, e.g. tFRM:1000:form.bin)"));
    let mut parts = s.splitn(3, ':');
    let (Some(kind), Some(id), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad("missing parts"));
    };
    let kind = parse_fourcc(kind).map_err(|e| bad(&e.to_string()))?;
    let id = if let Some(hex) = id.strip_prefix("0x").or_else(|| id.strip_prefix("0X")) {
        u16::from_str_radix(hex, 16)
    } else {
        id.parse::<u16>()
    }
    .map_err(|_| bad("the ID is not a number from 0 to 65535"))?;
    if file.is_empty() {
        return Err(bad("no file"));
    }
    Ok(ResourceSpec { kind, id, file: PathBuf::from(file) })
}

/// Reads the files of `specs` into resource entries.
pub fn read_resources(specs: &[ResourceSpec]) -> Result<Vec<ResourceEntry>, PackError> {
    specs
        .iter()
        .map(|r| {
            let data = std::fs::read(&r.file)
                .map_err(|e| PackError::Database(format!("--resource {}:{}:{}: {e}", type_name(r.kind), r.id, r.file.display())))?;
            Ok(ResourceEntry { kind: r.kind, id: r.id, data })
        })
        .collect()
}

/// A type code as text ("tFRM").
pub fn type_name(kind: u32) -> String {
    kind.to_be_bytes().iter().map(|&b| if (0x20..0x7F).contains(&b) { b as char } else { '?' }).collect()
}

/// `own` (the packer's resources) and `extra` together, sorted by type and ID. Refuses an
/// extra resource with the type and ID of another one (of either list), and empty ones.
pub fn merge_resources(own: Vec<ResourceEntry>, extra: Vec<ResourceEntry>) -> Result<Vec<ResourceEntry>, PackError> {
    for e in &extra {
        if e.data.is_empty() {
            return Err(PackError::Database(format!("resource {} {} is empty", type_name(e.kind), e.id)));
        }
        if own.iter().any(|o| o.kind == e.kind && o.id == e.id) {
            return Err(PackError::Database(format!(
                "resource {} {} is written by prc-pack itself and cannot be given with --resource",
                type_name(e.kind),
                e.id
            )));
        }
    }
    let mut all: Vec<ResourceEntry> = own.into_iter().chain(extra).collect();
    all.sort_by_key(|r| (r.kind, r.id));
    if let Some(w) = all.windows(2).find(|w| w[0].kind == w[1].kind && w[0].id == w[1].id) {
        return Err(PackError::Database(format!("duplicate resource {} {} (given twice with --resource)", type_name(w[0].kind), w[0].id)));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fourcc;

    fn entry(kind: &[u8; 4], id: u16, data: &[u8]) -> ResourceEntry {
        ResourceEntry { kind: fourcc(kind), id, data: data.to_vec() }
    }

    #[test]
    fn specs_parse_type_id_and_file() {
        let s = parse_resource_spec("tFRM:1000:target/x/form:1.bin").unwrap();
        assert_eq!(s, ResourceSpec { kind: fourcc(b"tFRM"), id: 1000, file: "target/x/form:1.bin".into() });
        assert_eq!(parse_resource_spec("Talt:0x3E8:a").unwrap().id, 1000);
        assert_eq!(parse_resource_spec("tAIB:65535:a").unwrap().id, 65535);
        for bad in ["tFRM:1000", "tFRM", "tFR:1000:f", "tFRMx:1:f", "tFRM:65536:f", "tFRM:-1:f", "tFRM:abc:f", "tFRM:1:", "t\u{7f}RM:1:f"] {
            let e = parse_resource_spec(bad).unwrap_err().to_string();
            assert!(e.contains("--resource"), "{bad}: {e}");
        }
    }

    #[test]
    fn merged_resources_are_sorted_by_type_and_id() {
        let own = vec![entry(b"code", 0, b"0"), entry(b"code", 1, b"1"), entry(b"tAIN", 1000, b"A\0")];
        let extra = vec![entry(b"tFRM", 1100, b"f2"), entry(b"Talt", 1000, b"a"), entry(b"tFRM", 1000, b"f1"), entry(b"MBAR", 1000, b"m")];
        let all = merge_resources(own, extra).unwrap();
        let keys: Vec<(String, u16)> = all.iter().map(|r| (type_name(r.kind), r.id)).collect();
        let want = [("MBAR", 1000), ("Talt", 1000), ("code", 0), ("code", 1), ("tAIN", 1000), ("tFRM", 1000), ("tFRM", 1100)];
        assert_eq!(keys, want.iter().map(|(k, i)| (k.to_string(), *i)).collect::<Vec<_>>());
        assert_eq!(all[5].data, b"f1");
    }

    #[test]
    fn duplicates_and_clashes_with_the_packers_own_resources_are_refused() {
        let own = || vec![entry(b"code", 1, b"1"), entry(b"tAIN", 1000, b"A\0")];
        let e = merge_resources(own(), vec![entry(b"tFRM", 1000, b"a"), entry(b"tFRM", 1000, b"b")]).unwrap_err();
        assert!(e.to_string().ends_with("duplicate resource tFRM 1000 (given twice with --resource)"), "{e}");
        let e = merge_resources(own(), vec![entry(b"tAIN", 1000, b"B\0")]).unwrap_err();
        assert!(e.to_string().contains("resource tAIN 1000 is written by prc-pack itself"), "{e}");
        let e = merge_resources(own(), vec![entry(b"tSTR", 1, b"")]).unwrap_err();
        assert!(e.to_string().contains("tSTR 1 is empty"), "{e}");
        // Same ID, other type: fine.
        assert_eq!(merge_resources(own(), vec![entry(b"tFRM", 1, b"x")]).unwrap().len(), 3);
    }

    #[test]
    fn files_are_read_and_missing_ones_named() {
        let dir = std::env::temp_dir().join(format!("prc-pack-res-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("s.bin");
        std::fs::write(&f, b"hi\0").unwrap();
        let specs = [ResourceSpec { kind: fourcc(b"tSTR"), id: 5, file: f.clone() }];
        assert_eq!(read_resources(&specs).unwrap(), vec![entry(b"tSTR", 5, b"hi\0")]);
        let missing = [ResourceSpec { kind: fourcc(b"tSTR"), id: 5, file: dir.join("nope") }];
        let e = read_resources(&missing).unwrap_err().to_string();
        assert!(e.contains("tSTR:5:") && e.contains("nope"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
