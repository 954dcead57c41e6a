//! `palmemu`: the command-line frontend. Boots the stub ROM in a window (the default action)
//! or headless with scripted input, storms the application with Gremlins, runs a guest program
//! to its exit, or manages the memory card. The frontends live in `emulator::frontend`; this
//! file parses options and picks one. Exit codes: see `emulator::report::exit_code`.

use clap::{Parser, Subcommand};
use emulator::card::{read_database_file, CardOpError};
use emulator::frontend::script::{self, ScriptLine};
use emulator::frontend::session::SCALES;
use emulator::frontend::window::{self, DisplayWindow, MachineOptions, Outcome};
use emulator::frontend::{default_card, gremlins, headless, Session};
use emulator::report::exit_code;
use emulator::{guest_artifact, Machine, MachineConfig, RomImage, StopReason};
use palm_shim::pdb::{fourcc, Entries};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// An emulated Palm handheld (68020 + a PalmOS shim) that boots without proprietary ROMs.
///
/// Without a command: boots the ROM and shows the screen in a window (mouse = pen, keyboard
/// = keys; closing the window suspends the application with appStopEvent and saves the card).
/// Without a display, or with --headless, it runs headless and stops at the first EvtGetEvent,
/// or plays --tap/--script input.
///
/// The ROM's built-in application is the app manager: it lists the card's applications and
/// launches them (Home comes back to it). When the card file does not exist yet (or holds no
/// database), the boot starts from the default card: every .prc/.pdb file in the default-apps directory
/// (--default-apps, by default default-card/ next to the ROM, which scripts/build-guest.sh
/// fills with the bundled applications); the card is saved after the run as usual.
///
/// Exit codes: 0 booted, idle (waiting for input) or guest exited 0, 1 guest exited
/// non-zero, 2 usage error, 3 bad input file (or an output file that cannot be written),
/// 4 unimplemented trap, 5 guest CPU fault, 6 guest software failure (panic, wasm trap,
/// fatal alert), 7 time limit reached, 8 internal emulator error.
#[derive(Parser)]
#[command(name = "palmemu", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    boot: BootArgs,
}

/// A time limit in seconds: positive and finite (at most a year).
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 365.0 * 86400.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number of seconds (more than 0, at most a year)")),
    }
}

fn parse_scale(s: &str) -> Result<u32, String> {
    let n: u32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if SCALES.contains(&n) {
        Ok(n)
    } else {
        Err(format!("the scale must be {}..={}", SCALES.start(), SCALES.end()))
    }
}

#[derive(clap::Args)]
struct BootArgs {
    /// Run without a window (also implied by --script, --tap and --wait-idle, and used when no
    /// display is available).
    #[arg(long)]
    headless: bool,
    /// The ROM image (an ELF file from roms-stub).
    #[arg(long, value_name = "ELF", default_value_os_t = guest_artifact("rom.elf"))]
    rom: PathBuf,
    /// Give up when the guest has not stopped or come back to waiting for input after this
    /// many seconds (the boot, and each scripted input, have this long).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    timeout: f64,
    /// Keep running after boot until the guest exits or waits for input (instead of stopping
    /// at the first EvtGetEvent).
    #[arg(long)]
    no_stop_at_boot: bool,
    #[command(flatten)]
    card: CardArgs,
    /// When the card file does not exist or holds no database, start from a card holding every
    /// .prc/.pdb file in this directory (default: default-card/ next to the ROM, the bundled
    /// applications).
    #[arg(long, value_name = "DIR")]
    default_apps: Option<PathBuf>,
    /// When the card file does not exist or holds no database, start from an empty card
    /// instead of the default one.
    #[arg(long, conflicts_with = "default_apps")]
    no_default_apps: bool,
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
    /// Headless: after boot, play the input script FILE (one command per line: tap X Y,
    /// down X Y, move X Y, up X Y, key CHAR|0xNNNN|NAME, stop, wait MS, idle, screenshot
    /// PATH, hash; # starts a comment). Inputs run the guest until it waits for input again.
    #[arg(long, value_name = "FILE")]
    script: Option<PathBuf>,
    /// Headless: after boot, tap the display at X,Y and run until the guest waits for input
    /// again (repeatable; before --script).
    #[arg(long, value_name = "X,Y", value_parser = script::parse_point, allow_hyphen_values = true)]
    tap: Vec<(i16, i16)>,
    /// Headless: after boot (and --tap), run until the guest waits for input.
    #[arg(long)]
    wait_idle: bool,
    /// Window: close the window once it shows the guest waiting for input (then suspend and
    /// save as when closed by hand). Headless: the same as --wait-idle.
    #[arg(long)]
    exit_when_idle: bool,
    /// Write the screen as a PNG at the end of the run (window: when it closes, before the
    /// application is suspended).
    #[arg(long, value_name = "PATH")]
    screenshot: Option<PathBuf>,
    /// Window and screenshot size: display pixels are shown N x N.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_scale)]
    scale: u32,
    /// Print the screen hash (`screen-hash` and 16 hex digits) on stdout at the end of the run.
    #[arg(long)]
    print_hash: bool,
}

impl BootArgs {
    /// Input comes from the command line or a script: no window.
    fn scripted(&self) -> bool {
        self.script.is_some() || !self.tap.is_empty() || self.wait_idle
    }
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
    /// Boot the ROM: in a window, or headless (the default command; same options).
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
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = parse_seconds)]
        timeout: f64,
        /// Print a summary line (time, traps) to stderr after the run.
        #[arg(long)]
        summary: bool,
    },
    /// Storm the application with seeded random taps, drags and keys (headless). The same
    /// seed replays the same storm; the first guest failure is reported with the seed and
    /// action number that reproduce it. Prints a one-line summary. The card is read, never
    /// written.
    Gremlins(GremlinsArgs),
}

#[derive(clap::Args)]
struct GremlinsArgs {
    /// The seed of the storm.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many actions (a tap, a drag or a key each) to deliver.
    #[arg(long, value_name = "M", default_value_t = 1000)]
    events: u64,
    /// The ROM image (an ELF file from roms-stub).
    #[arg(long, value_name = "ELF", default_value_os_t = guest_artifact("rom.elf"))]
    rom: PathBuf,
    /// Load this card file first (default: an empty card).
    #[arg(long, value_name = "PATH")]
    card: Option<PathBuf>,
    /// A guest that does not come back to waiting for input within this many seconds after
    /// an event (or after boot) counts as a failure.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = parse_seconds)]
    timeout: f64,
    /// Write the final screen as a PNG.
    #[arg(long, value_name = "PATH")]
    screenshot: Option<PathBuf>,
    /// Screenshot size: display pixels are written N x N.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_scale)]
    scale: u32,
    /// Print the final screen hash line on stdout.
    #[arg(long)]
    print_hash: bool,
}

fn load(path: &Path) -> Result<RomImage, ExitCode> {
    RomImage::load(path).map_err(|e| {
        eprintln!("palmemu: {e}");
        if !path.exists() {
            eprintln!("palmemu: build the guest side first: scripts/build-guest.sh");
        }
        ExitCode::from(exit_code::BAD_INPUT as u8)
    })
}

fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.max(0.001)).unwrap_or(Duration::from_secs(365 * 86400))
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

fn code(c: i32) -> ExitCode {
    ExitCode::from(c as u8)
}

/// Builds the machine for a boot: ROM loaded, card prepared.
fn build_session(rom: RomImage, args: &BootSettings) -> Result<Session, (i32, String)> {
    let config = MachineConfig { stop_at_boot: !args.no_stop_at_boot, ..Default::default() };
    let mut m = Machine::with_rom(&config, rom).map_err(|e| (exit_code::INTERNAL, e.to_string()))?;
    prepare_card(&mut m, &args.card, args.default_apps.as_deref(), &args.install, args.relocate_seed)?;
    Ok(Session::new(m, seconds(args.timeout)))
}

/// What the machine thread needs of [`BootArgs`] (sendable).
#[derive(Clone)]
struct BootSettings {
    no_stop_at_boot: bool,
    card: PathBuf,
    /// Where the default card's files are (None: an empty card).
    default_apps: Option<PathBuf>,
    install: Vec<PathBuf>,
    relocate_seed: Option<u64>,
    timeout: f64,
}

fn boot(args: BootArgs) -> ExitCode {
    let rom = match load(&args.rom) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let mut script_lines = match args.script.as_deref().map(read_script).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(c) => return c,
    };
    let settings = BootSettings {
        no_stop_at_boot: args.no_stop_at_boot,
        card: args.card.path(),
        default_apps: (!args.no_default_apps)
            .then(|| args.default_apps.clone().unwrap_or_else(|| default_card::default_apps_dir(&args.rom))),
        install: args.install.clone(),
        relocate_seed: args.relocate_seed,
        timeout: args.timeout,
    };
    if !args.headless && !args.scripted() {
        match DisplayWindow::open("palmemu", args.scale) {
            Ok(w) => return boot_window(w, rom, settings, &args),
            Err(why) => eprintln!("palmemu: {why}; running headless"),
        }
    }
    // Headless: the inline input, then the script.
    let mut inline = script::inline_commands(&args.tap, args.wait_idle || args.exit_when_idle);
    inline.append(&mut script_lines);
    boot_headless(rom, settings, &args, &inline)
}

fn read_script(path: &Path) -> Result<Vec<ScriptLine>, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("palmemu: cannot read the script {}: {e}", path.display());
        code(exit_code::BAD_INPUT)
    })?;
    script::parse_script(&text, &path.display().to_string()).map_err(|e| {
        eprintln!("palmemu: {e}");
        code(exit_code::BAD_INPUT)
    })
}

fn boot_headless(rom: RomImage, settings: BootSettings, args: &BootArgs, commands: &[ScriptLine]) -> ExitCode {
    let mut session = match build_session(rom, &settings) {
        Ok(s) => s,
        Err((c, e)) => {
            eprintln!("palmemu: {e}");
            return code(c);
        }
    };
    session.boot();
    session.print_console();
    let mut stdout = std::io::stdout();
    if let Err(e) = headless::run_commands(&mut session, commands, args.scale, &mut stdout) {
        eprintln!("palmemu: {e}");
        return code(exit_code::BAD_INPUT);
    }
    if let Some(path) = &args.screenshot {
        if let Err(e) = session.save_screenshot(path, args.scale) {
            eprintln!("palmemu: {e}");
            return code(exit_code::BAD_INPUT);
        }
    }
    if args.print_hash {
        println!("{}", session.hash_line());
    }
    if !args.no_save && !matches!(session.status(), Some(StopReason::EngineError(_))) {
        if let Err(e) = session.save_card(&settings.card) {
            eprintln!("palmemu: {e}");
            return code(exit_code::BAD_INPUT);
        }
    }
    finish(session.exit_code(), session.status(), &session.summary())
}

/// The last lines of a boot: the summary (stdout on success, stderr with the reason
/// otherwise) and the exit code.
fn finish(c: i32, status: Option<&StopReason>, summary: &str) -> ExitCode {
    if c == exit_code::SUCCESS {
        println!("palmemu: {summary}");
    } else {
        if let Some(reason) = status {
            eprintln!("palmemu: {reason}");
        }
        eprintln!("palmemu: {summary}");
    }
    code(c)
}

fn boot_window(w: DisplayWindow, rom: RomImage, settings: BootSettings, args: &BootArgs) -> ExitCode {
    let options = MachineOptions {
        suspend_limit: seconds(args.timeout.min(10.0)),
        card: (!args.no_save).then(|| settings.card.clone()),
        screenshot: args.screenshot.clone(),
        scale: args.scale,
        print_hash: args.print_hash,
    };
    let build = move || build_session(rom, &settings).map_err(|(exit_code, summary)| Outcome { exit_code, summary });
    let outcome = window::run(w, build, options, args.exit_when_idle);
    if outcome.exit_code == exit_code::SUCCESS {
        println!("palmemu: {}", outcome.summary);
    } else {
        eprintln!("palmemu: {}", outcome.summary);
    }
    code(outcome.exit_code)
}

fn run_gremlins(args: GremlinsArgs) -> ExitCode {
    let rom = match load(&args.rom) {
        Ok(r) => r,
        Err(c) => return c,
    };
    let config = MachineConfig { stop_at_boot: false, ..Default::default() };
    let mut m = match Machine::with_rom(&config, rom) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("palmemu: {e}");
            return code(exit_code::INTERNAL);
        }
    };
    if let Some(card) = &args.card {
        if let Err(c) = prepare_card(&mut m, card, None, &[], None) {
            return report_error(c);
        }
    }
    let mut session = Session::new(m, seconds(args.timeout));
    let report = gremlins::run(&mut session, args.seed, args.events);
    // The guest's console during a storm is noise; a failure report says what matters.
    let _ = session.machine_mut().shim_mut().take_console();
    if let Some(path) = &args.screenshot {
        if let Err(e) = session.save_screenshot(path, args.scale) {
            eprintln!("palmemu: {e}");
            return code(exit_code::BAD_INPUT);
        }
    }
    if args.print_hash {
        println!("{}", emulator::frontend::session::hash_line(report.screen_hash));
    }
    println!("{}", report.summary());
    let Some((number, action, failure)) = &report.failure else { return ExitCode::SUCCESS };
    let card = args.card.as_ref().map(|c| format!(" --card {}", c.display())).unwrap_or_default();
    let reproduce = format!("palmemu gremlins --seed {} --events {number} --rom {}{card}", args.seed, args.rom.display());
    let c = match failure {
        gremlins::Failure::Guest(StopReason::Timeout) => {
            eprintln!(
                "gremlins: seed {} action {number} ({action}): the guest did not wait for input again within {:.1} s",
                args.seed, args.timeout
            );
            exit_code::TIMEOUT
        }
        gremlins::Failure::Guest(reason) => {
            eprintln!("gremlins: seed {} action {number} ({action}): {reason}", args.seed);
            reason.exit_code()
        }
        gremlins::Failure::HostPanic(msg) => {
            eprintln!("gremlins: seed {} action {number} ({action}): emulator panic: {msg}", args.seed);
            exit_code::INTERNAL
        }
    };
    eprintln!("gremlins: reproduce with: {reproduce}");
    code(c)
}

fn report_error((c, e): (i32, String)) -> ExitCode {
    eprintln!("palmemu: {e}");
    code(c)
}

/// Loads the card (when the file does not exist or holds no database and `default_apps` is
/// given, the default card's files from that directory), installs files, relocates; any
/// failure is a bad-input exit.
fn prepare_card(
    m: &mut Machine,
    path: &Path,
    default_apps: Option<&Path>,
    install: &[PathBuf],
    seed: Option<u64>,
) -> Result<(), (i32, String)> {
    let bad = |e: CardOpError| (exit_code::BAD_INPUT, e.to_string());
    let n = m.load_card_file(path).map_err(bad)?;
    log::info!("card {}: {n} databases", path.display());
    if let (Some(dir), 0) = (default_apps, n) {
        let names = default_card::install_default_apps(m, dir).map_err(bad)?;
        log::info!("new or empty card: the default card from {}: {}", dir.display(), names.join(", "));
    }
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
        Some(Command::Gremlins(args)) => run_gremlins(args),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
