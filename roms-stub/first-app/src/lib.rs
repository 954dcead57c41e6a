//! The first application of the stub ROM: exercises a few traps through the guest SDK and
//! greets on the console (the boot lines tests look for), then draws its screen — a title, a
//! framed drawing pad, a hint and a framed echo line — and runs the event loop until
//! `appStopEvent`: a pen-down leaves a small mark in the pad, dragging draws lines, typed
//! characters are echoed in the echo line (backspace deletes, linefeed clears). The emulator's
//! headless boot treats the first `EvtGetEvent` as "booted"; the frontends test this app.
#![no_std]

use guest_sdk::palm_abi::ui_layout::{
    event_data, EventType, RectangleType, APP_STOP_EVENT, BOLD_FONT, COMMAND_KEY_MASK, EVT_WAIT_FOREVER,
    KEY_DOWN_EVENT, PEN_DOWN_EVENT, PEN_MOVE_EVENT, STD_FONT,
};
use guest_sdk::traps::{
    EvtGetEvent, FntCharsWidth, FntSetFont, FtrGet, MemSet, SysRandom, SysTicksPerSecond, TimGetTicks,
    WinDrawChars, WinDrawInvertedChars, WinDrawLine, WinDrawRectangle, WinDrawRectangleFrame, WinEraseRectangle,
    WinEraseWindow, WinResetClip, WinSetClip,
};
use guest_sdk::{copy_to_guest, println, read_u16, read_u32, read_u8, scratch_area, write_u32, write_u8, GuestAddr};

/// `sysFtrCreator` ('psys') and `sysFtrNumROMVersion`.
const SYS_FTR_CREATOR: u32 = u32::from_be_bytes(*b"psys");
const SYS_FTR_NUM_ROM_VERSION: u16 = 1;
/// `simpleFrame` (`FrameType`).
const SIMPLE_FRAME: u16 = 0x0001;
/// `chrBackspace`, `chrLineFeed`, `chrCarriageReturn` (Chars.h).
const CHR_BACKSPACE: u16 = 0x0008;
const CHR_LINE_FEED: u16 = 0x000A;
const CHR_CARRIAGE_RETURN: u16 = 0x000D;

/// The title, drawn inverted in bold on a black tab as PalmOS form titles are.
pub const TITLE: &[u8] = b"First App";
/// The hint below the pad.
pub const HINT: &[u8] = b"Tap or drag in the box; type.";
/// The drawing pad: pen marks and strokes are clipped to it (its frame is drawn outside it).
pub const PAD: RectangleType = RectangleType::new(4, 16, 152, 108);
/// The echo line (framed like the pad); typed text is drawn with its top left corner at
/// ([`ECHO_TEXT_X`], [`ECHO_TEXT_Y`]).
pub const ECHO: RectangleType = RectangleType::new(4, 144, 152, 12);
pub const ECHO_TEXT_X: i16 = 6;
pub const ECHO_TEXT_Y: i16 = 145;
/// Height of the title tab and the y of the line under it.
pub const TITLE_HEIGHT: i16 = 12;
/// Side of the square mark a pen-down leaves (centred on the pen).
pub const MARK_SIZE: i16 = 3;

guest_sdk::entry!(app_main);

/// Guest buffers, all in the program's scratch area (real guest memory).
struct Buffers {
    ftr_value: GuestAddr,
    block: GuestAddr,
    event: GuestAddr,
    rect: GuestAddr,
    text: GuestAddr,
    echo: GuestAddr,
}

const BLOCK_LEN: u32 = 64;
const TEXT_LEN: u32 = 64;
/// Capacity of the echo line (more than fits in its width).
const ECHO_CAP: u32 = 64;

fn buffers() -> Buffers {
    let (base, len) = scratch_area();
    let event = base.add(16 + BLOCK_LEN);
    let rect = event.add(EventType::LEN);
    let text = rect.add(RectangleType::LEN);
    let echo = text.add(TEXT_LEN);
    assert!(echo.add(ECHO_CAP).0 <= base.0 + len, "scratch area too small");
    Buffers { ftr_value: base, block: base.add(16), event, rect, text, echo }
}

/// The application's main function; returns the exit code.
pub fn app_main() -> u32 {
    let b = buffers();

    write_u32(b.ftr_value, 0);
    let err = FtrGet(SYS_FTR_CREATOR, SYS_FTR_NUM_ROM_VERSION, b.ftr_value);
    let rom = read_u32(b.ftr_value);
    println!("first-app: FtrGet(psys, ROMVersion) err={err:#06X} rom={rom:#010X}");

    println!("first-app: SysTicksPerSecond={}", SysTicksPerSecond());
    println!("first-app: TimGetTicks={}", TimGetTicks());
    let r1 = SysRandom(1);
    let r2 = SysRandom(0);
    println!("first-app: SysRandom(1)={r1} SysRandom(0)={r2}");

    let err = MemSet(b.block, BLOCK_LEN as i32, 0xA5);
    let ok = (0..BLOCK_LEN).all(|i| read_u8(b.block.add(i)) == 0xA5);
    println!("first-app: MemSet err={err} block {}", if ok { "ok" } else { "WRONG" });

    println!("Hello from the first 68k app (Rust -> wasm2c -> GCC m68k)!");

    let mut app = App { b, echo_len: 0, last_pen: (0, 0) };
    app.draw_screen();
    loop {
        EvtGetEvent(app.b.event, EVT_WAIT_FOREVER);
        if !app.handle_event() {
            break;
        }
    }
    println!("first-app: appStopEvent, bye");
    if ok {
        0
    } else {
        1
    }
}

struct App {
    b: Buffers,
    /// Characters in the echo buffer.
    echo_len: u32,
    /// Where the pen was last seen (for strokes).
    last_pen: (i16, i16),
}

impl App {
    fn set_rect(&self, r: RectangleType) -> GuestAddr {
        copy_to_guest(self.b.rect, &r.encode());
        self.b.rect
    }

    fn text(&self, s: &[u8]) -> (GuestAddr, i16) {
        let n = s.len().min(TEXT_LEN as usize);
        copy_to_guest(self.b.text, &s[..n]);
        (self.b.text, n as i16)
    }

    /// The whole screen: title tab, pad, hint, echo line.
    fn draw_screen(&mut self) {
        WinEraseWindow();
        FntSetFont(BOLD_FONT);
        let (title, len) = self.text(TITLE);
        let width = FntCharsWidth(title, len);
        WinDrawRectangle(self.set_rect(RectangleType::new(0, 0, width + 6, TITLE_HEIGHT)), 3);
        WinDrawInvertedChars(title, len, 3, 0);
        WinDrawLine(0, TITLE_HEIGHT - 1, 159, TITLE_HEIGHT - 1);
        FntSetFont(STD_FONT);
        WinDrawRectangleFrame(SIMPLE_FRAME, self.set_rect(PAD));
        let (hint, len) = self.text(HINT);
        WinDrawChars(hint, len, PAD.x, PAD.y + PAD.height + 3);
        WinDrawRectangleFrame(SIMPLE_FRAME, self.set_rect(ECHO));
    }

    /// Handles the event in the event buffer; `false` on `appStopEvent`.
    fn handle_event(&mut self) -> bool {
        let ev = self.b.event;
        let at = |off: u32| read_u16(ev.add(off)) as i16;
        match read_u16(ev) {
            APP_STOP_EVENT => return false,
            PEN_DOWN_EVENT => {
                let (x, y) = (at(EventType::SCREEN_X), at(EventType::SCREEN_Y));
                self.in_pad(|app| {
                    let half = MARK_SIZE / 2;
                    WinDrawRectangle(app.set_rect(RectangleType::new(x - half, y - half, MARK_SIZE, MARK_SIZE)), 0);
                });
                self.last_pen = (x, y);
            }
            PEN_MOVE_EVENT => {
                let (x, y) = (at(EventType::SCREEN_X), at(EventType::SCREEN_Y));
                let (x0, y0) = self.last_pen;
                self.in_pad(|_| WinDrawLine(x0, y0, x, y));
                self.last_pen = (x, y);
            }
            KEY_DOWN_EVENT => {
                let chr = read_u16(ev.add(event_data::key_down::CHR));
                let modifiers = read_u16(ev.add(event_data::key_down::MODIFIERS));
                if modifiers & COMMAND_KEY_MASK == 0 {
                    self.key(chr);
                }
            }
            _ => {}
        }
        true
    }

    /// Runs `draw` clipped to the pad.
    fn in_pad(&mut self, draw: impl FnOnce(&mut App)) {
        WinSetClip(self.set_rect(PAD));
        draw(self);
        WinResetClip();
    }

    /// Echoes a typed character: printable Latin-1 is appended (the line starts afresh when
    /// it would not fit), backspace deletes, linefeed/return clears; anything else is ignored.
    fn key(&mut self, chr: u16) {
        match chr {
            CHR_BACKSPACE => self.echo_len = self.echo_len.saturating_sub(1),
            CHR_LINE_FEED | CHR_CARRIAGE_RETURN => self.echo_len = 0,
            0x20..=0x7E | 0xA0..=0xFF => {
                if self.echo_len == ECHO_CAP {
                    self.echo_len = 0;
                }
                write_u8(self.b.echo.add(self.echo_len), chr as u8);
                self.echo_len += 1;
                let width = FntCharsWidth(self.b.echo, self.echo_len as i16);
                if width > ECHO.width - 2 * (ECHO_TEXT_X - ECHO.x) {
                    write_u8(self.b.echo, chr as u8);
                    self.echo_len = 1;
                }
            }
            _ => return,
        }
        WinEraseRectangle(self.set_rect(ECHO), 0);
        if self.echo_len > 0 {
            WinDrawChars(self.b.echo, self.echo_len as i16, ECHO_TEXT_X, ECHO_TEXT_Y);
        }
    }
}

#[cfg(test)]
extern crate std;

#[cfg(test)]
mod tests {
    use super::*;
    use guest_sdk::native::{with_host, FlatHost, Host};
    use guest_sdk::palm_abi::traps as w;
    use guest_sdk::traps::Shape;
    use std::vec::Vec;

    /// FlatHost plus the drawing traps (recorded, with the text they were given) and a
    /// scripted event queue (then `appStopEvent`).
    struct ScriptedHost {
        flat: FlatHost,
        events: Vec<EventType>,
        drawn: Vec<(u16, Vec<u32>, Vec<u8>)>,
        font: u32,
    }

    impl Host for ScriptedHost {
        fn read(&mut self, addr: GuestAddr, buf: &mut [u8]) {
            self.flat.read(addr, buf)
        }
        fn write(&mut self, addr: GuestAddr, data: &[u8]) {
            self.flat.write(addr, data)
        }
        fn console_write(&mut self, bytes: &[u8]) {
            self.flat.console_write(bytes)
        }
        fn scratch_area(&mut self) -> (GuestAddr, u32) {
            self.flat.scratch_area()
        }
        fn trap(&mut self, word: u16, shape: Shape, args: &[u32]) -> u32 {
            let text = |h: &mut Self, p: u32, n: u32| {
                let mut t = std::vec![0u8; n as usize];
                h.flat.read(GuestAddr(p), &mut t);
                t
            };
            match word {
                w::EVT_GET_EVENT => {
                    let e = if self.events.is_empty() { EventType::new(APP_STOP_EVENT) } else { self.events.remove(0) };
                    self.flat.write(GuestAddr(args[0]), &e.encode());
                    0
                }
                w::FNT_SET_FONT => core::mem::replace(&mut self.font, args[0]),
                w::FNT_CHARS_WIDTH => 5 * args[1],
                w::WIN_DRAW_CHARS | w::WIN_DRAW_INVERTED_CHARS => {
                    let t = text(self, args[0], args[1]);
                    self.drawn.push((word, args.to_vec(), t));
                    0
                }
                w::WIN_DRAW_RECTANGLE | w::WIN_ERASE_RECTANGLE | w::WIN_SET_CLIP => {
                    let r = text(self, args[0], 8);
                    self.drawn.push((word, args.to_vec(), r));
                    0
                }
                w::WIN_DRAW_RECTANGLE_FRAME => {
                    let r = text(self, args[1], 8);
                    self.drawn.push((word, args.to_vec(), r));
                    0
                }
                w::WIN_ERASE_WINDOW | w::WIN_DRAW_LINE | w::WIN_RESET_CLIP => {
                    self.drawn.push((word, args.to_vec(), Vec::new()));
                    0
                }
                _ => self.flat.trap(word, shape, args),
            }
        }
    }

    fn pen(e_type: u16, x: i16, y: i16) -> EventType {
        let mut e = EventType::new(e_type);
        e.screen_x = x;
        e.screen_y = y;
        e
    }

    fn key(chr: u16, modifiers: u16) -> EventType {
        let mut e = EventType::new(KEY_DOWN_EVENT);
        e.set_u16(event_data::key_down::CHR, chr);
        e.set_u16(event_data::key_down::MODIFIERS, modifiers);
        e
    }

    fn run(events: Vec<EventType>) -> ScriptedHost {
        let mut h = ScriptedHost { flat: FlatHost::new(0x0010_0000, 0x1_0000), events, drawn: Vec::new(), font: 0 };
        let code = with_host(&mut h, super::app_main);
        assert_eq!(code, 0);
        h
    }

    #[test]
    fn boots_draws_its_screen_and_stops_on_app_stop() {
        let h = run(Vec::new());
        let text = h.flat.console_text();
        assert!(text.contains("rom=0x03503000"), "{text}");
        assert!(text.contains("MemSet err=0 block ok"), "{text}");
        assert!(text.contains("Hello from the first 68k app"), "{text}");
        assert!(text.ends_with("appStopEvent, bye\n"), "{text}");
        assert_eq!(h.drawn[0].0, w::WIN_ERASE_WINDOW);
        assert!(h.drawn.iter().any(|(word, a, t)| *word == w::WIN_DRAW_INVERTED_CHARS && t == TITLE && a[2] == 3));
        assert!(h.drawn.iter().any(|(word, a, t)| *word == w::WIN_DRAW_RECTANGLE_FRAME && a[0] == 1 && t[..] == PAD.encode()));
        assert!(h.drawn.iter().any(|(word, _, t)| *word == w::WIN_DRAW_CHARS && t == HINT));
    }

    #[test]
    fn pen_down_marks_the_pad_and_keys_echo() {
        let events = std::vec![
            pen(PEN_DOWN_EVENT, 50, 60),
            pen(PEN_MOVE_EVENT, 55, 62),
            key(b'H' as u16, 0),
            key(b'i' as u16, 0),
            key(0x0108, COMMAND_KEY_MASK), // vchrLaunch: not echoed
            key(CHR_BACKSPACE, 0),
            key(b'!' as u16, 0),
        ];
        let h = run(events);
        let after_screen = h.drawn.iter().position(|(word, _, t)| *word == w::WIN_DRAW_RECTANGLE_FRAME && t[..] == ECHO.encode()).unwrap();
        let ops = &h.drawn[after_screen + 1..];
        let mark = RectangleType::new(49, 59, 3, 3).encode();
        assert_eq!(ops[0].0, w::WIN_SET_CLIP);
        assert_eq!(ops[0].2[..], PAD.encode());
        assert_eq!((ops[1].0, &ops[1].1[1], &ops[1].2[..]), (w::WIN_DRAW_RECTANGLE, &0, &mark[..]));
        assert_eq!(ops[2].0, w::WIN_RESET_CLIP);
        assert_eq!((ops[4].0, &ops[4].1[..]), (w::WIN_DRAW_LINE, &[50, 60, 55, 62][..]));
        let echoed: Vec<&[u8]> = ops.iter().filter(|(word, _, _)| *word == w::WIN_DRAW_CHARS).map(|(_, _, t)| &t[..]).collect();
        assert_eq!(echoed, [&b"H"[..], b"Hi", b"H", b"H!"]);
    }
}
