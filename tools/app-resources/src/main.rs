//! `app-resources <out-dir>`: writes every demo application's resources to
//! `<out-dir>/<App>/<TYPE>_<ID>.bin` and the matching prc-pack arguments, one
//! `--resource=TYPE:ID:FILE` per line, to `<out-dir>/<App>.args` (scripts/build-guest.sh
//! section 6 passes them on). Files are rewritten only when their bytes change, so the build
//! script's staleness checks see real changes only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

fn run(out: &Path) -> std::io::Result<()> {
    for app in app_resources::all() {
        let dir = out.join(app.app);
        std::fs::create_dir_all(&dir)?;
        let mut args = String::new();
        for r in &app.resources {
            let file = dir.join(app_resources::file_name(r));
            write_if_changed(&file, &r.data)?;
            let t: String = r.kind.to_be_bytes().iter().map(|&b| b as char).collect();
            args.push_str(&format!("--resource={t}:{}:{}\n", r.id, file.display()));
        }
        write_if_changed(&out.join(format!("{}.args", app.app)), args.as_bytes())?;
        println!("{}: {} resources", app.app, app.resources.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 1 || args[0].starts_with('-') {
        eprintln!("usage: app-resources <out-dir>\nWrites the demo applications' resources and prc-pack --resource arguments.");
        return ExitCode::from(2);
    }
    let out = PathBuf::from(&args[0]);
    match run(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("app-resources: error: {e} (writing under {})", out.display());
            ExitCode::FAILURE
        }
    }
}
