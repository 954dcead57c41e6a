//! `palmemu`: the command-line frontend. Boots the stub ROM headless (the default action),
//! or runs a guest program to its exit. Exit codes: see
//! `emulator::report::exit_code`.

use clap::{Parser, Subcommand};
use emulator::report::exit_code;
use emulator::{guest_artifact, Machine, MachineConfig, RomImage, StopReason};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// An emulated Palm handheld (68020 + a PalmOS shim) that boots without proprietary ROMs.
///
/// Exit codes: 0 booted / guest exited 0, 1 guest exited non-zero, 2 usage error,
/// 3 bad input file, 4 unimplemented trap, 5 guest CPU fault, 6 guest software failure
/// (panic, wasm trap, fatal alert), 7 time limit reached, 8 internal emulator error.
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
}

#[derive(Subcommand)]
enum Command {
    /// Boot the ROM headless and stop when the first application waits for an event.
    Boot(BootArgs),
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
    let (reason, elapsed) = m.run_timed(Some(seconds(args.timeout)));
    print_console(&mut m);
    let code = reason.exit_code();
    if code == exit_code::SUCCESS {
        println!("palmemu: {}", summary(&m, &reason, elapsed));
    } else {
        eprintln!("palmemu: {reason}");
        eprintln!("palmemu: {}", summary(&m, &reason, elapsed));
    }
    ExitCode::from(code as u8)
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
    }
}
