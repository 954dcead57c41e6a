//! `prc-pack`: the command line of the packer (see lib.rs): ELF in, .prc out, a one-line
//! summary of the sizes on stdout. Exit status 1 with the reason on any error.

use clap::Parser;
use prc_pack::resources::{parse_resource_spec, read_resources, ResourceSpec};
use prc_pack::{database_with_resources, elf::read_elf, pack, parse_fourcc, DbInfo};
use std::path::PathBuf;
use std::process::ExitCode;

/// The largest resource classic PalmOS devices hold (a 64 KB chunk less its header).
const CLASSIC_MAX_RESOURCE: usize = 65_505;

/// Packs an SDK application ELF (linked with guest-sdk/link/app.ld and --emit-relocs) into a
/// standard PalmOS application database: code 0, code 1 (runs in place, no relocations),
/// data 0 (compressed globals + relocation chains), pref 0, tAIN 1000 and tver 1000, plus any
/// resources given with --resource.
#[derive(Parser, Debug)]
#[command(name = "prc-pack", version, about, long_about = None)]
struct Args {
    /// The linked application ELF.
    elf: PathBuf,
    /// Where to write the .prc.
    #[arg(short, long)]
    output: PathBuf,
    /// Database name (at most 31 bytes).
    #[arg(long)]
    name: String,
    /// Creator code (4 characters).
    #[arg(long)]
    creator: String,
    /// Database type (4 characters).
    #[arg(long = "type", default_value = "appl")]
    db_type: String,
    /// Application name for the launcher (tAIN); defaults to the database name.
    #[arg(long)]
    app_name: Option<String>,
    /// Version string (tver), omitted if not given.
    #[arg(long = "version-string")]
    version_string: Option<String>,
    /// pref 0 stack size; defaults to the ELF's __app_stack_size, else 4096.
    #[arg(long)]
    stack_size: Option<u32>,
    /// pref 0 minimum heap space; defaults to the ELF's __app_heap_size plus the A5 world.
    #[arg(long)]
    min_heap: Option<u32>,
    /// pref 0 priority.
    #[arg(long, default_value_t = 30)]
    priority: u16,
    /// An extra resource, TYPE:ID:FILE (e.g. tFRM:1000:form.bin; ID decimal or 0x hex);
    /// repeatable. Resources are written sorted by type and ID; duplicates are refused.
    #[arg(long = "resource", value_name = "TYPE:ID:FILE", value_parser = parse_spec)]
    resources: Vec<ResourceSpec>,
}

fn parse_spec(s: &str) -> Result<ResourceSpec, String> {
    parse_resource_spec(s).map_err(|e| e.to_string())
}

fn run(a: &Args) -> Result<String, String> {
    let bytes = std::fs::read(&a.elf).map_err(|e| format!("cannot read {}: {e}", a.elf.display()))?;
    let program = read_elf(&bytes).map_err(|e| format!("{}: {e}", a.elf.display()))?;
    let packed = pack(&program).map_err(|e| format!("{}: {e}", a.elf.display()))?;
    let info = DbInfo {
        name: a.name.clone(),
        creator: parse_fourcc(&a.creator).map_err(|e| e.to_string())?,
        db_type: parse_fourcc(&a.db_type).map_err(|e| e.to_string())?,
        app_name: a.app_name.clone().unwrap_or_else(|| a.name.clone()),
        version: a.version_string.clone(),
        priority: a.priority,
        stack_size: a.stack_size.or(packed.stack_size).unwrap_or(4096),
        min_heap: a.min_heap.unwrap_or_else(|| packed.heap_size.unwrap_or(0) + packed.world_size()),
    };
    if packed.code1.len() > CLASSIC_MAX_RESOURCE {
        eprintln!(
            "prc-pack: note: code 1 of {} is {} bytes; this emulator takes it, but classic PalmOS devices cap a resource at ~64 KB (multi-segment applications are not supported)",
            a.elf.display(),
            packed.code1.len()
        );
    }
    let extra = read_resources(&a.resources).map_err(|e| e.to_string())?;
    let n_extra = extra.len();
    let db = database_with_resources(&packed, &info, extra).map_err(|e| e.to_string())?;
    let out = db.to_bytes();
    let tmp = a.output.with_extension("prc.tmp");
    std::fs::write(&tmp, &out).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &a.output).map_err(|e| format!("cannot write {}: {e}", a.output.display()))?;
    Ok(format!(
        "{}: code 1 {} bytes, data 0 {} bytes, A5 world {} bytes ({} below A5, {} above; {} GOT entries), \
         relocations: {} A5 + {} code 1, pref stack {} heap {}, {} extra resources, .prc {} bytes",
        a.output.display(),
        packed.code1.len(),
        packed.data0.len(),
        packed.world_size(),
        packed.below_a5,
        packed.above_a5,
        packed.got_entries,
        packed.a5_sites.len(),
        packed.code_sites.len(),
        info.stack_size,
        info.min_heap,
        n_extra,
        out.len()
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("prc-pack: error: {e}");
            ExitCode::FAILURE
        }
    }
}
