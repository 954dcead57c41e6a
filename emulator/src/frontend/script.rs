//! Input scripts for the headless frontend: the command language (one command per line,
//! `#` comments), its parser, and the command-line equivalents (`--tap X,Y`, `--wait-idle`)
//! turned into the same commands. Running them is [`super::headless`]'s job.
//!
//! | command | meaning |
//! |---|---|
//! | `tap X Y` | pen down and up at (X, Y), then run until the guest waits for input |
//! | `down X Y` / `move X Y` / `up X Y` | one pen event, then run until the guest waits for input |
//! | `key K` | a key: a character (`a`), `0xNNNN`, or a name (`enter`, `backspace`, `pageup`, `home`, ...); then run until idle |
//! | `stop` | `appStopEvent`, then run until the guest exits or waits for input |
//! | `wait MS` | run for MS milliseconds of wall time, or until the guest waits for input |
//! | `idle` | run until the guest waits for input |
//! | `screenshot PATH` | write the screen as a PNG (`--scale` times its size) |
//! | `hash` | print the screen hash line (`screen-hash` and 16 hex digits) |
//!
//! Coordinates are display pixels (0..160; other values are allowed: the pen can leave the
//! display). A line whose first word starts with `#` is a comment, and so is anything after a
//! command's arguments that starts with `#`.

use super::keys::parse_key;
use super::session::Input;
use std::path::PathBuf;
use std::time::Duration;

/// One command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Deliver the input, then run until the guest waits for input.
    Input(Input),
    /// Run for this long, or until the guest waits for input.
    Wait(Duration),
    /// Run until the guest waits for input.
    Idle,
    Screenshot(PathBuf),
    Hash,
}

impl Command {
    /// Whether the command runs the guest (and so means nothing once the guest has stopped).
    pub fn runs_guest(&self) -> bool {
        matches!(self, Command::Input(_) | Command::Wait(_) | Command::Idle)
    }
}

/// A command and where it came from (`FILE:LINE`, or the command-line option), for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    pub origin: String,
    pub command: Command,
}

/// A script line that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ScriptError {
    pub origin: String,
    pub message: String,
}

/// The commands, with the number of arguments each takes.
const COMMANDS: &[(&str, usize)] = &[
    ("tap", 2),
    ("down", 2),
    ("move", 2),
    ("up", 2),
    ("key", 1),
    ("stop", 0),
    ("wait", 1),
    ("idle", 0),
    ("screenshot", 1),
    ("hash", 0),
];

fn coordinate(s: &str) -> Result<i16, String> {
    s.parse::<i16>().map_err(|_| format!("{s:?} is not a coordinate (an integer from -32768 to 32767)"))
}

/// Parses one line; `Ok(None)` for blank lines and comments.
pub fn parse_line(line: &str) -> Result<Option<Command>, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((&name, rest)) = words.split_first() else { return Ok(None) };
    if name.starts_with('#') {
        return Ok(None);
    }
    let lower = name.to_ascii_lowercase();
    let Some(&(_, arity)) = COMMANDS.iter().find(|(n, _)| *n == lower) else {
        let names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown command {name:?} (commands: {})", names.join(", ")));
    };
    let (args, trailing) = rest.split_at(rest.len().min(arity));
    if args.len() < arity {
        return Err(format!("{lower} takes {arity} argument{}", if arity == 1 { "" } else { "s" }));
    }
    if let Some(extra) = trailing.first().filter(|w| !w.starts_with('#')) {
        return Err(format!("unexpected {extra:?} after {lower}'s arguments (comments start with #)"));
    }
    let point = || -> Result<(i16, i16), String> { Ok((coordinate(args[0])?, coordinate(args[1])?)) };
    let command = match lower.as_str() {
        "tap" => point().map(|(x, y)| Command::Input(Input::Tap { x, y }))?,
        "down" => point().map(|(x, y)| Command::Input(Input::PenDown { x, y }))?,
        "move" => point().map(|(x, y)| Command::Input(Input::PenMove { x, y }))?,
        "up" => point().map(|(x, y)| Command::Input(Input::PenUp { x, y }))?,
        "key" => Command::Input(Input::Key(parse_key(args[0])?)),
        "stop" => Command::Input(Input::AppStop),
        "wait" => {
            let ms = args[0].parse::<u64>().map_err(|_| format!("{:?} is not a number of milliseconds", args[0]))?;
            Command::Wait(Duration::from_millis(ms))
        }
        "idle" => Command::Idle,
        "screenshot" => Command::Screenshot(PathBuf::from(args[0])),
        "hash" => Command::Hash,
        _ => unreachable!("every name in COMMANDS is handled"),
    };
    Ok(Some(command))
}

/// Parses a whole script; `name` (usually the file's path) prefixes the line numbers.
pub fn parse_script(text: &str, name: &str) -> Result<Vec<ScriptLine>, ScriptError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let origin = format!("{name}:{}", i + 1);
        match parse_line(line) {
            Ok(Some(command)) => out.push(ScriptLine { origin, command }),
            Ok(None) => {}
            Err(message) => return Err(ScriptError { origin, message }),
        }
    }
    Ok(out)
}

/// Parses `X,Y` (the `--tap` value).
pub fn parse_point(s: &str) -> Result<(i16, i16), String> {
    let (x, y) = s.split_once(',').ok_or_else(|| format!("{s:?} is not X,Y"))?;
    Ok((coordinate(x.trim())?, coordinate(y.trim())?))
}

/// The command-line equivalents as script lines: each `--tap` in order, then `--wait-idle`.
pub fn inline_commands(taps: &[(i16, i16)], wait_idle: bool) -> Vec<ScriptLine> {
    let mut out: Vec<ScriptLine> = taps
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| ScriptLine {
            origin: format!("--tap #{}", i + 1),
            command: Command::Input(Input::Tap { x, y }),
        })
        .collect();
    if wait_idle {
        out.push(ScriptLine { origin: "--wait-idle".into(), command: Command::Idle });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::keys::PalmKey;

    #[test]
    fn every_command_parses() {
        let text = "# a comment\n\
                    tap 10 20\n\
                    down 1 2   # trailing comment\n\
                    move -3 170\n\
                    UP 4 5\n\
                    key a\n\
                    key #\n\
                    key 0x0108\n\
                    key backspace\n\
                    \n\
                    stop\n\
                    wait 250\n\
                    idle\n\
                    screenshot out.png\n\
                    hash\n";
        let lines = parse_script(text, "s.txt").unwrap();
        let commands: Vec<Command> = lines.iter().map(|l| l.command.clone()).collect();
        assert_eq!(
            commands,
            [
                Command::Input(Input::Tap { x: 10, y: 20 }),
                Command::Input(Input::PenDown { x: 1, y: 2 }),
                Command::Input(Input::PenMove { x: -3, y: 170 }),
                Command::Input(Input::PenUp { x: 4, y: 5 }),
                Command::Input(Input::Key(PalmKey::char(0x61))),
                Command::Input(Input::Key(PalmKey::char(0x23))),
                Command::Input(Input::Key(PalmKey::virtual_key(0x0108))),
                Command::Input(Input::Key(PalmKey::char(0x08))),
                Command::Input(Input::AppStop),
                Command::Wait(Duration::from_millis(250)),
                Command::Idle,
                Command::Screenshot("out.png".into()),
                Command::Hash,
            ]
        );
        assert_eq!(lines[0].origin, "s.txt:2");
        assert_eq!(lines.last().unwrap().origin, "s.txt:15");
    }

    #[test]
    fn errors_name_the_line() {
        for (text, needle) in [
            ("tap 1\n", "tap takes 2 arguments"),
            ("tap 1 x\n", "\"x\" is not a coordinate"),
            ("tap 1 2 3\n", "unexpected \"3\""),
            ("jump 1 2\n", "unknown command \"jump\""),
            ("wait soon\n", "milliseconds"),
            ("key nosuch\n", "unknown key"),
            ("tap 1 99999\n", "coordinate"),
        ] {
            let e = parse_script(&format!("idle\n{text}"), "f").unwrap_err();
            assert_eq!(e.origin, "f:2", "{text}");
            assert!(e.message.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn inline_taps_then_wait_idle() {
        assert_eq!(parse_point("3,4"), Ok((3, 4)));
        assert_eq!(parse_point(" 3 , -4 "), Ok((3, -4)));
        assert!(parse_point("3").is_err());
        let lines = inline_commands(&[(1, 2), (3, 4)], true);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].origin, "--tap #2");
        assert_eq!(lines[2].command, Command::Idle);
        assert!(inline_commands(&[], false).is_empty());
    }
}
