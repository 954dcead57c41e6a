//! `palmemu`: the command-line frontend. Boots the stub ROM headless (the default action),
//! runs a guest program to its exit, or manages the memory card. Exit codes: see
//! `emulator::report::exit_code`.

use clap::{Parser, Subcommand};
use emulator::card::{read_database_file, CardOpError};
use emulator::report::exit_code;
use palm_shim::pdb::{fourcc, Entries};
use std::path::Path;
use emulator::{guest_artifact, Machine, MachineConfig, RomImage, StopReason};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// An emulated Palm handheld (68020 + a PalmOS shim) that boots without proprietary ROMs.
///
/// Exit codes: 0 booted, idle (waiting for input) or guest exited 0, 1 guest exited
/// non-zero, 2 usage error, 3 bad input file, 4 unimplemented trap, 5 guest CPU fault,
/// 6 guest software failure (panic, wasm trap, fatal alert), 7 time limit reached,
/// 8 internal emulator error.
#[derive(Parser)]
#[command(name = "palmemu", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    boot: BootArgs,
}

#[derive(clap::Args)]
struct BootArgs {
    /// Run without a window (the only frontend so far; CI uses this).
    #[arg(long)]
    headless: bool,
    /// The ROM image (an ELF file from roms-stub).
    #[arg(long, value_name = "ELF", default_value_os_t = guest_artifact("rom.elf"))]
    rom: PathBuf,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Keep running after boot until the guest exits (instead of stopping at the first
    /// EvtGetEvent).
    #[arg(long)]
    no_stop_at_boot: bool,
    #[command(flatten)]
    card: CardArgs,
    /// Install a .prc/.pdb file into the card before booting (repeatable).
    #[arg(long, value_name = "FILE")]
    install: Vec<PathBuf>,
    /// Move every unlocked storage chunk to new addresses chosen by this seed after loading
    /// the card (persistence testing).
    #[arg(long, value_name = "SEED")]
    relocate_seed: Option<u64>,
    /// Do not write the card back after the run.
    #[arg(long)]
    no_save: bool,
}

#[derive(clap::Args, Clone)]
struct CardArgs {
    /// The memory card file (the persistent storage heap). Default: $PALMEMU_CARD, else
    /// $XDG_DATA_HOME/palmemu/card.palmcard, else ~/.local/share/palmemu/card.palmcard.
    #[arg(long, value_name = "PATH", global = true)]
    card: Option<PathBuf>,
}

impl CardArgs {
    fn path(&self) -> PathBuf {
        self.card.clone().unwrap_or_else(emulator::card::default_card_path)
    }
}

#[derive(Subcommand)]
enum CardCommand {
    /// List the databases on the card: name, type, creator, attributes, entries, size.
    List,
    /// Install .prc/.pdb files into the card.
    Install {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Replace databases of the same name.
        #[arg(long)]
        replace: bool,
    },
    /// Export a database from the card as a .prc/.pdb file.
    Export { name: String, out: PathBuf },
    /// Delete a database from the card.
    Delete { name: String },
}

#[derive(Subcommand)]
enum Command {
    /// Boot the ROM headless and stop when the first application waits for an event.
    Boot(BootArgs),
    /// Manage the memory card: list, install, export, delete databases.
    Card {
        #[command(subcommand)]
        command: CardCommand,
        #[command(flatten)]
        card: CardArgs,
    },
    /// Run a guest program (an ELF built with the stub ROM boot code) until it exits; print its
    /// console output. Exit code 0 if the guest returned 0, 1 if it returned anything else.
    Run {
        /// The program.
        elf: PathBuf,
        /// Give up after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
        timeout: f64,
        /// Print a summary line (time, traps) to stderr after the run.
        #[arg(long)]
        summary: bool,
    },
}

fn load(path: &PathBuf) -> Result<RomImage, ExitCode> {
    RomImage::load(path).map_err(|e| {
        eprintln!("palmemu: {e}");
        if !path.exists() {
            eprintln!("palmemu: build the guest side first: scripts/build-guest.sh");
        }
        ExitCode::from(exit_code::BAD_INPUT as u8)
    })
}

fn seconds(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.001))
}

fn print_console(m: &mut Machine) {
    let out = m.shim_mut().take_console();
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&out);
    if !out.is_empty() && !out.ends_with(b"\n") {
        let _ = stdout.write_all(b"\n");
    }
}

fn summary(m: &Machine, reason: &StopReason, elapsed: Duration) -> String {
    let shim = m.shim();
    format!(
        "{} in {:.1} ms: {} traps ({} distinct), {} trap handlers installed",
        match reason {
            StopReason::Booted => "booted".to_string(),
            StopReason::Exit(c) => format!("exited with code {c}"),
            _ => "stopped".to_string(),
        },
        elapsed.as_secs_f64() * 1000.0,
        shim.total_traps(),
        shim.trap_counts().len(),
        shim.table().implemented_count(),
    )
}

fn boot(args: BootArgs) -> ExitCode {
    if !args.headless {
        log::info!("no window frontend in this build; running headless");
    }
    let rom = match load(&args.rom) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let config = MachineConfig { stop_at_boot: !args.no_stop_at_boot, ..Default::default() };
    let mut m = match Machine::with_rom(&config, rom) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("palmemu: {e}");
            return ExitCode::from(exit_code::INTERNAL as u8);
        }
    };
    let card_path = args.card.path();
    if let Err(code) = prepare_card(&mut m, &card_path, &args.install, args.relocate_seed) {
        return code;
    }
    let (reason, elapsed) = m.run_timed(Some(seconds(args.timeout)));
    print_console(&mut m);
    if !args.no_save && !matches!(reason, StopReason::EngineError(_)) {
        if let Err(e) = m.save_card_file(&card_path) {
            eprintln!("palmemu: {e}");
            return ExitCode::from(exit_code::BAD_INPUT as u8);
        }
    }
    let code = reason.exit_code();
    if code == exit_code::SUCCESS {
        println!("palmemu: {}", summary(&m, &reason, elapsed));
    } else {
        eprintln!("palmemu: {reason}");
        eprintln!("palmemu: {}", summary(&m, &reason, elapsed));
    }
    ExitCode::from(code as u8)
}

/// Loads the card, installs files, relocates; any failure is a bad-input exit.
fn prepare_card(m: &mut Machine, path: &Path, install: &[PathBuf], seed: Option<u64>) -> Result<(), ExitCode> {
    let bad = |e: CardOpError| {
        eprintln!("palmemu: {e}");
        ExitCode::from(exit_code::BAD_INPUT as u8)
    };
    let n = m.load_card_file(path).map_err(bad)?;
    log::info!("card {}: {n} databases", path.display());
    for f in install {
        let db = read_database_file(f).map_err(bad)?;
        m.install_database(&db).map_err(bad)?;
    }
    if let Some(seed) = seed {
        let r = m.relocate_storage(seed).map_err(bad)?;
        log::info!("relocated storage heap with seed {seed}: {r:?}");
    }
    Ok(())
}

fn card_command(command: CardCommand, card: CardArgs) -> ExitCode {
    let path = card.path();
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("palmemu: {e}");
        ExitCode::from(exit_code::BAD_INPUT as u8)
    };
    let mut m = match Machine::new(&MachineConfig::default()) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    if let Err(e) = m.load_card_file(&path) {
        return fail(&e);
    }
    let changed = match command {
        CardCommand::List => {
            println!("{:<32} {:<4} {:<4} {:>6} {:>7} {:>9}", "name", "type", "crid", "attr", "entries", "bytes");
            let image = m.card_image();
            for db in &image.databases {
                let size: usize = match &db.entries {
                    Entries::Records(r) => r.iter().map(|e| e.data.len()).sum(),
                    Entries::Resources(r) => r.iter().map(|e| e.data.len()).sum(),
                };
                println!(
                    "{:<32} {:<4} {:<4} {:>#6x} {:>7} {:>9}",
                    String::from_utf8_lossy(db.name()),
                    fourcc(db.db_type),
                    fourcc(db.creator),
                    db.attributes,
                    db.entries.len(),
                    size
                );
            }
            false
        }
        CardCommand::Install { files, replace } => {
            for f in &files {
                let db = match read_database_file(f) {
                    Ok(db) => db,
                    Err(e) => return fail(&e),
                };
                let name = String::from_utf8_lossy(db.name()).into_owned();
                if replace && m.export_database(&name).is_ok() {
                    if let Err(e) = m.delete_database(&name) {
                        return fail(&e);
                    }
                }
                if let Err(e) = m.install_database(&db) {
                    return fail(&e);
                }
                println!("installed {name} ({} entries) from {}", db.entries.len(), f.display());
            }
            true
        }
        CardCommand::Export { name, out } => {
            let db = match m.export_database(&name) {
                Ok(db) => db,
                Err(e) => return fail(&e),
            };
            if let Err(e) = std::fs::write(&out, db.to_bytes()) {
                return fail(&format!("cannot write {}: {e}", out.display()));
            }
            println!("exported {name} to {}", out.display());
            false
        }
        CardCommand::Delete { name } => {
            if let Err(e) = m.delete_database(&name) {
                return fail(&e);
            }
            println!("deleted {name}");
            true
        }
    };
    if changed {
        if let Err(e) = m.save_card_file(&path) {
            return fail(&e);
        }
    }
    ExitCode::SUCCESS
}

fn run(elf: PathBuf, timeout: f64, want_summary: bool) -> ExitCode {
    let rom = match load(&elf) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let config = MachineConfig { stop_at_boot: false, ..Default::default() };
    let mut m = match Machine::with_rom(&config, rom) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("palmemu: {e}");
            return ExitCode::from(exit_code::INTERNAL as u8);
        }
    };
    let (reason, elapsed) = m.run_timed(Some(seconds(timeout)));
    print_console(&mut m);
    if !matches!(reason, StopReason::Exit(_)) {
        eprintln!("palmemu: {reason}");
    }
    if want_summary {
        eprintln!("palmemu: {}", summary(&m, &reason, elapsed));
    }
    if let StopReason::Exit(c @ 1..) = reason {
        eprintln!("palmemu: guest exited with code {c}");
    }
    ExitCode::from(reason.exit_code() as u8)
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        None => boot(cli.boot),
        Some(Command::Boot(args)) => boot(args),
        Some(Command::Run { elf, timeout, summary }) => run(elf, timeout, summary),
        Some(Command::Card { command, card }) => card_command(command, card),
    }
}
